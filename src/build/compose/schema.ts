import * as z from 'zod';

const scalar = z.lazy(() => z.union([z.string(), z.number(), z.boolean()]));
/** Compose allows `KEY=value` lists and maps with scalar (or null: unset) values alike. */
const keyValues = z.lazy(() => z.union([z.array(z.string()), z.record(z.string(), scalar.nullable())]));
const argv = z.lazy(() => z.union([z.string(), z.array(z.string())]));

const port = z.lazy(() => z.union([
  z.number().int(),
  z.string(),
  z.looseObject({ target: z.union([z.number().int(), z.string()]), protocol: z.string().optional() }),
]));

const volume = z.lazy(() => z.union([z.string(), z.looseObject({ type: z.string().optional(), source: z.string().optional(), target: z.string().optional() })]));

/** The keys of a compose service cupaas reads; every other key is reported as not applied. */
export const ComposeService = z.lazy(() => z.looseObject({
  image: z.string().optional(),
  build: z
    .union([
      z.string(),
      z.looseObject({
        context: z.string().optional(),
        dockerfile: z.string().optional(),
        args: keyValues.optional(),
        target: z.string().optional(),
      }),
    ])
    .optional(),
  command: argv.nullable().optional(),
  entrypoint: argv.nullable().optional(),
  environment: keyValues.optional(),
  ports: z.array(port).optional(),
  expose: z.array(z.union([z.string(), z.number()])).optional(),
  depends_on: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]).optional(),
  deploy: z.looseObject({ replicas: z.number().int().min(0).max(100).optional() }).nullable().optional(),
  scale: z.number().int().min(0).max(100).optional(),
  volumes: z.array(volume).optional(),
  'x-cupaas': z.strictObject({ addon: z.boolean().optional() }).optional(),
}));
export type ComposeService = z.infer<typeof ComposeService>;

export const ComposeFile = z.lazy(() => z.looseObject({
  services: z.record(z.string(), ComposeService.nullable()),
  'x-cupaas': z.strictObject({ addons: z.boolean().optional() }).optional(),
}));

/** Service keys read above, plus those the platform takes care of itself (restarts, its own network). */
export const SUPPORTED_SERVICE_KEYS: ReadonlySet<string> = new Set([
  'image', 'build', 'command', 'entrypoint', 'environment', 'ports', 'expose', 'depends_on', 'deploy', 'scale',
  'volumes', 'x-cupaas', 'restart', 'container_name',
]);

/** Top-level keys that mean nothing to an app on the platform and need no warning. */
export const QUIET_TOP_LEVEL_KEYS: ReadonlySet<string> = new Set(['services', 'volumes', 'version', 'name']);
