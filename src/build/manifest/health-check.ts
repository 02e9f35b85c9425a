import * as z from 'zod';

/** Longer than any real route, short enough to keep probes and logs sane. */
const MAX_PATH_LENGTH = 256;

const Path = z.lazy(() =>
  z
    .string()
    .max(MAX_PATH_LENGTH, `expected a health-check path of at most ${MAX_PATH_LENGTH} characters`)
    .regex(/^\/[\x21-\x7e]*$/, 'expected a health-check path such as "/health": starting with "/", no spaces or control characters'));

/**
 * The optional HTTP health-check path of web dynos (`.cupaas` `healthcheck`,
 * the app.json extension `healthcheck`): `/health` or `{ path: /health }`,
 * read as the path. New web dynos are up once `GET path` answers below 400.
 */
export const HealthCheckEntry = z.lazy(() =>
  z
    .union([Path, z.object({ path: Path }).strict()], {
      error: 'expected a health-check path such as "/health" (or {path: /health})',
    })
    .transform((h) => (typeof h === 'string' ? h : h.path)));
