import * as z from 'zod';
import { DYNO_SIZES } from '../../config/index.js';
import { CONFIG_VAR_KEY, PROCESS_TYPE } from '../../domain/index.js';
import { lineAt, manifestError, positioned, validate } from './errors.js';
import { HealthCheckEntry } from './health-check.js';
import { AddonPlanEntry } from './services.js';

const EnvEntry = z.lazy(() => z.union([
  z.string(),
  z.object({
    description: z.string().optional(),
    value: z.string().optional(),
    required: z.boolean().optional(),
    generator: z.literal('secret').optional(),
  }),
]));

const FormationEntry = z.lazy(() => z.object({
  quantity: z.number().int().min(0).optional(),
  size: z.enum(DYNO_SIZES.map((s) => s.name) as [string, ...string[]]).optional(),
}));

const schema = (services: readonly string[]) => {
  const AddonPlan = AddonPlanEntry(services);
  return z.object({
    env: z.record(z.string().regex(CONFIG_VAR_KEY, 'config var names are letters, digits and _'), EnvEntry).optional(),
    formation: z.record(z.string().regex(PROCESS_TYPE), FormationEntry).optional(),
    buildpacks: z.array(z.object({ url: z.string().min(1) })).optional(),
    addons: z.array(z.union([AddonPlan, z.object({ plan: AddonPlan, as: z.string().optional() })])).optional(),
    scripts: z.object({ postdeploy: z.union([z.string(), z.object({ command: z.string() })]).optional() }).optional(),
    /** A cupaas extension (Heroku's app.json has no such key). */
    healthcheck: HealthCheckEntry.optional(),
  });
};

export type AppJson = z.infer<ReturnType<typeof schema>>;

/** Parses app.json; a syntax error names its line, a wrong field its line and what was expected. */
export function parseAppJson(text: string, services: readonly string[]): AppJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    const line = at ? lineAt(text, Number(at[1])) : lineAt(text, text.length);
    throw manifestError('app.json', line, `expected valid JSON (${message.replace(/ in JSON at position \d+.*$/, '')})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw manifestError('app.json', 1, 'expected a JSON object');
  }
  return validate('app.json', value, schema(services), positioned(text));
}
