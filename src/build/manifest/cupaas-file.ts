import * as z from 'zod';
import { BUILTIN_BUILDPACKS, builtinNamed } from '../registry.js';
import { manifestError, positioned, validate } from './errors.js';
import { CronEntry } from './cron.js';
import { HealthCheckEntry } from './health-check.js';
import { ServiceEntry } from './services.js';

const KNOWN_KEYS = ['runtime', 'services', 'buildpacks', 'healthcheck', 'cron'];

const schema = (services: readonly string[]) =>
  z.object({
    runtime: z
      .string()
      .refine((r) => builtinNamed(r) !== undefined, {
        message: `unknown runtime; supported: ${BUILTIN_BUILDPACKS.join(', ')}`,
      })
      .optional(),
    services: z.array(ServiceEntry(services)).optional(),
    buildpacks: z.array(z.string().min(1)).optional(),
    healthcheck: HealthCheckEntry.optional(),
    cron: z.array(CronEntry).optional(),
  });

export type CupaasFile = z.infer<ReturnType<typeof schema>>;

/**
 * Parses the `.cupaas` YAML file. Returns the settings and warnings for keys
 * this version does not know (ignored, so newer files still deploy).
 */
export function parseCupaasFile(text: string, services: readonly string[]): { file: CupaasFile; warnings: string[] } {
  const where = positioned(text);
  const error = where.doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line ?? null;
    throw manifestError('.cupaas', line, `expected valid YAML (${error.message.split('\n')[0]?.replace(/ at line \d+.*$/, '')})`);
  }
  const value: unknown = where.doc.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value) || value === null) {
    throw manifestError('.cupaas', 1, 'expected a mapping such as "runtime: node"');
  }
  const warnings = Object.keys(value)
    .filter((k) => !KNOWN_KEYS.includes(k))
    .map((k) => `.cupaas line ${where.lineOf([k]) ?? '?'}: unknown key "${k}" ignored (known: ${KNOWN_KEYS.join(', ')})`);
  return { file: validate('.cupaas', value, schema(services), where), warnings };
}
