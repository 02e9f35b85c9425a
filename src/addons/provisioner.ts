import type { AppTeardown } from '../domain/index.js';
import type { App, ServiceProvisioner } from '../domain/index.js';
import { configVarOf } from './attachments.js';
import { resolvePlan } from './catalogue.js';
import type { AddonService } from './service.js';
import type { AddonProvider } from './provider.js';

/**
 * Services declared by an app (`.cupaas` services, app.json addons): each one
 * the app does not have yet is provisioned before the release. Removing one
 * from the manifest never deletes anything; destroying is always explicit.
 */
export function createServiceProvisioner(
  addons: Pick<AddonService, 'list' | 'create'>,
  providers: ReadonlyMap<string, AddonProvider>,
): ServiceProvisioner {
  return {
    services: () => [...providers.values()].filter((p) => !p.service.external).map((p) => p.service.name),
    async ensure(app: App, services: readonly string[], log: (line: string) => void): Promise<Record<string, string>> {
      // Resolve every name first, so a bad one fails the deploy before anything is provisioned.
      const wanted = services.map((s) => ({ spec: s, ...resolvePlan(providers, s, { lenientPlan: true }) }));
      const vars: Record<string, string> = {};
      for (const { spec, provider, plan } of wanted) {
        const name = provider.service.name;
        if (name in vars) continue;
        const have = addons.list(app).find((a) => a.service === name);
        if (have) {
          log(`${spec}: already provisioned as ${have.name} (${Object.keys(have.config).join(', ')})`);
          vars[name] = configVarOf(have.attachmentName, provider.service);
          continue;
        }
        log(`${spec}: provisioning ${name}:${plan}...`);
        const { addon } = await addons.create(app, { plan: `${name}:${plan}` }, null);
        log(`${spec}: created ${addon.name}, config var ${Object.keys(addon.config).join(', ')}`);
        vars[name] = configVarOf(addon.attachmentName, provider.service);
      }
      return vars;
    },
  };
}

/** Before an app is destroyed: a final backup of each add-on, then its data is deleted. */
export function createAddonTeardown(addons: Pick<AddonService, 'list' | 'remove'>): AppTeardown {
  return {
    name: 'addons',
    async beforeDestroy(app: App): Promise<void> {
      for (const addon of addons.list(app)) await addons.remove(addon, { backup: true });
    },
  };
}

