import { canonicalService } from '../domain/index.js';
import { PlatformError } from '../shared/errors.js';
import type { AddonProvider } from './provider.js';

export interface ResolvedPlan {
  provider: AddonProvider;
  plan: string;
}

const supported = (providers: ReadonlyMap<string, AddonProvider>): string =>
  [...providers.values()].map((p) => `${p.service.name} (plans: ${p.service.plans.join(', ')})`).join(', ');

/**
 * The provider named by a service name or alias: the domain's service table
 * first (`heroku-postgresql` is postgres), then providers outside it
 * (`external`, `url`).
 */
export function findProvider(providers: ReadonlyMap<string, AddonProvider>, name: string): AddonProvider | undefined {
  const n = canonicalService(name) ?? name.trim().toLowerCase();
  return [...providers.values()].find((p) => p.service.name === n || p.service.aliases.includes(n));
}

/**
 * Resolves `service` or `service:plan` (Heroku's plan syntax). Unknown services
 * are 404 and bad plans 422, both listing what is supported. A plan under
 * another name of the service (Heroku's `heroku-postgresql:essential-0`), or
 * any plan with `lenientPlan` (manifests), falls back to the default plan.
 */
export function resolvePlan(
  providers: ReadonlyMap<string, AddonProvider>,
  spec: string,
  opts: { lenientPlan?: boolean } = {},
): ResolvedPlan {
  const parts = spec.split(':');
  if (parts.length > 2) {
    throw new PlatformError('invalid_params', `"${spec}" is not a plan: use SERVICE or SERVICE:PLAN, like postgres:dev.`);
  }
  const [serviceName = '', planName] = parts;
  const provider = findProvider(providers, serviceName);
  if (!provider) {
    throw new PlatformError(
      'not_found',
      `Couldn't find the add-on service "${serviceName}". Supported services: ${supported(providers)}. ` +
        'Create one with e.g. `cupaas addons:create postgres`.',
    );
  }
  const plans = provider.service.plans;
  const defaultPlan = plans[0] as string;
  // Heroku's names come with Heroku's plans (`heroku-postgresql:essential-0`), which mean nothing here.
  const byAlias = serviceName.trim().toLowerCase() !== provider.service.name;
  if (planName === undefined || planName === '' || opts.lenientPlan || byAlias) {
    return { provider, plan: planName && plans.includes(planName) ? planName : defaultPlan };
  }
  if (!plans.includes(planName)) {
    throw new PlatformError(
      'invalid_params',
      `${provider.service.name} has no plan "${planName}". Its plans: ${plans.join(', ')} (e.g. ${provider.service.name}:${defaultPlan}).`,
    );
  }
  return { provider, plan: planName };
}
