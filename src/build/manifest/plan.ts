import { serviceOfPlan, type ConfigVars } from '../../domain/index.js';
import { newSecret } from '../../shared/ids.js';
import { manifestError } from './errors.js';
import type { Manifests } from './read.js';

export interface FormationDefault {
  quantity?: number;
  size?: string;
}

/** What the manifests ask of a deploy, already checked. */
export interface ManifestPlan {
  /** Buildpacks to run in order; empty means detect among the built-ins. */
  buildpacks: string[];
  /** Services the app declares (`.cupaas` services, app.json add-ons). */
  services: string[];
  /** app.json `env` values for vars the app does not have yet. */
  configDefaults: Record<string, string>;
  /** app.json `formation`, applied to process types when they first appear. */
  formation: Readonly<Record<string, FormationDefault>>;
  postdeploy: string | null;
  /** Web dynos' HTTP health-check path (`.cupaas`, else app.json), recorded with the slug. */
  healthCheckPath: string | null;
  /** `.cupaas` `cron:` entries: the app's declared scheduled jobs (none when absent). */
  cron: ReadonlyArray<{ schedule: string; command: string; size?: string }>;
}

/**
 * Decides buildpacks, services, config defaults and formation from the
 * manifests. Precedence for buildpacks: the request (builds API), then
 * `.cupaas` `runtime`, `.cupaas` `buildpacks`, app.json `buildpacks`; for the
 * health-check path: `.cupaas`, then app.json.
 */
export function planFromManifests(m: Manifests, currentConfig: ConfigVars, requested: readonly string[]): ManifestPlan {
  const buildpacks = requested.length
    ? [...requested]
    : m.cupaas?.runtime
      ? [m.cupaas.runtime]
      : (m.cupaas?.buildpacks ?? m.appJson?.buildpacks?.map((b) => b.url) ?? []);
  const addonServices = (m.appJson?.addons ?? []).flatMap((a) => serviceOfPlan(typeof a === 'string' ? a : a.plan) ?? []);
  const services = [...new Set([...(m.cupaas?.services ?? []), ...addonServices])];
  const postdeploy = m.appJson?.scripts?.postdeploy;
  return {
    buildpacks,
    services,
    configDefaults: configDefaults(m, currentConfig),
    formation: m.appJson?.formation ?? {},
    postdeploy: typeof postdeploy === 'object' ? postdeploy.command : (postdeploy ?? null),
    healthCheckPath: m.cupaas?.healthcheck ?? m.appJson?.healthcheck ?? null,
    cron: m.cupaas?.cron ?? [],
  };
}

function configDefaults(m: Manifests, current: ConfigVars): Record<string, string> {
  const defaults: Record<string, string> = {};
  const missing: string[] = [];
  for (const [key, entry] of Object.entries(m.appJson?.env ?? {})) {
    if (key in current) continue;
    if (typeof entry === 'string') defaults[key] = entry;
    else if (entry.value !== undefined) defaults[key] = entry.value;
    else if (entry.generator === 'secret') defaults[key] = newSecret(32);
    else if (entry.required !== false) missing.push(key);
  }
  if (missing.length) {
    throw manifestError(
      'app.json',
      null,
      `config var ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required; set ${missing.length > 1 ? 'them' : 'it'} with \`cupaas config:set ${missing[0]}=...\` and push again`,
    );
  }
  return defaults;
}
