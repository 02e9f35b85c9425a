import * as z from 'zod';
import { manifestError, positioned, validate } from './errors.js';

/** A Dockerfile path inside the app: relative, without `..`. */
const DockerfilePath = z.lazy(() =>
  z
    .string()
    .min(1)
    .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), { message: 'expected a path inside the app, such as Dockerfile' }));

const schema = z.lazy(() => z.object({
  build: z
    .object({
      /** Process type → Dockerfile that builds its image. */
      docker: z.record(z.string(), DockerfilePath).optional(),
      /** Build-time variables, passed as build args. */
      config: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
    })
    .optional(),
  run: z.record(z.string(), z.string({ message: 'expected a command string (the image form of run is not supported)' })).optional(),
  setup: z.unknown().optional(),
  release: z.unknown().optional(),
}));

export type HerokuYml = z.infer<typeof schema>;

/** Parses Heroku's `heroku.yml` (the `build.docker`, `build.config` and `run` sections; `setup` and `release` are ignored). */
export function parseHerokuYml(text: string): HerokuYml {
  const where = positioned(text);
  const error = where.doc.errors[0];
  if (error) throw manifestError('heroku.yml', error.linePos?.[0]?.line ?? null, 'expected valid YAML');
  const value: unknown = where.doc.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value) || value === null) {
    throw manifestError('heroku.yml', 1, 'expected a mapping such as "build: {docker: {web: Dockerfile}}"');
  }
  return validate('heroku.yml', value, schema, where);
}
