import * as z from 'zod';
import type { App, Release } from '../../domain/index.js';
import { formationFor } from '../../reconciler/index.js';
import { appManifests, appNamespace, podReachableConfig, type KubeObject } from '../../runtime/index.js';
import { invalid, notFound } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appFor } from './app-access.js';

const Query = z.lazy(() => z.object({ release: z.string().regex(/^v?\d+$/, 'must be a release version like v3').optional() }));

/**
 * An app's Kubernetes objects for one release (default: the current one), as
 * a `v1/List` that `kubectl apply -f` takes; the CLI prints it as YAML.
 */
export function manifestRoutes(ctx: ApiContext): Route[] {
  function manifestsFor(app: App, release: Release): KubeObject[] {
    const k = ctx.config.kubernetes;
    const slug = release.slugId ? ctx.store.slugs.get(release.slugId) : undefined;
    if (!slug) throw invalid(`v${release.version} has no build: deploy the app first (git push), then ask again.`);
    const addonVars = ctx.store.addons.list(app.id).flatMap((a) => Object.keys(a.config));
    const formation = formationFor(app.id, slug.processTypes, ctx.store.formations.list(app.id), slug.createdAt);
    return appManifests({
      app: { id: app.id, name: app.name },
      release: { id: release.id, version: release.version },
      image: `${k.registry}/${app.name}:v${release.version}`,
      processes: formation.map((f) => ({ type: f.type, command: f.command, quantity: f.quantity, size: f.size })),
      config: podReachableConfig(release.config, addonVars, k.platformHost),
      hostnames: ctx.domains.list(app).map((d) => d.hostname),
      healthCheckPath: slug.healthCheckPath,
      options: { namespace: appNamespace(k.namespacePrefix, app.name), ingressClass: k.ingressClass, imagePullSecret: k.imagePullSecret },
    });
  }

  return [
    {
      method: 'GET',
      path: '/apps/:app/manifests',
      access: 'app:deploy', // the Secret holds the config vars
      handler: async (req) => {
        const app = appFor(req);
        const parsed = Query.safeParse({ release: req.query.get('release') ?? undefined });
        if (!parsed.success) throw invalid(`release ${parsed.error.issues[0]?.message ?? 'is invalid'}.`);
        const wanted = parsed.data.release?.replace(/^v/, '');
        const release = wanted ? ctx.store.releases.get(app.id, wanted) : ctx.store.releases.current(app.id);
        if (!release) throw notFound('release', wanted ? `v${wanted}` : 'current (the app has no release yet)');
        return { body: { apiVersion: 'v1', kind: 'List', items: manifestsFor(app, release) } };
      },
    },
  ];
}
