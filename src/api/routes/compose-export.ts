import { serviceEnv } from '../../build/index.js';
import { processImageRepo, registryHost, releaseImageRef } from '../../images/index.js';
import { stackFile, type StackProcess } from '../../runtime/index.js';
import { PlatformError } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appFor } from './app-access.js';

/** The app's current release as a Docker Swarm stack file, for users who leave (`cupaas apps:compose-export`). */
export function composeExportRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/apps/:app/compose-export',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const release = ctx.store.releases.current(app.id);
        const slug = release?.slugId ? ctx.store.slugs.get(release.slugId) : undefined;
        if (!release || !slug?.imageId) {
          throw new PlatformError('invalid_params', `${app.name} has no release image to export: deploy it with images on (\`--runtime docker\`, \`swarm\`, or CUPAAS_IMAGES=on).`);
        }
        const registry = registryHost(ctx.config.images);
        // A process type with an image of its own (heroku.yml, Compose) was pushed as `APP/TYPE:vN` with the release.
        const processes = ctx.formation.list(app).map((f): StackProcess => {
          const own = slug.processImages?.[f.type];
          const run = own?.run;
          return {
            type: f.type, command: f.command, quantity: f.quantity, size: f.size,
            ...(own ? { image: releaseImageRef(registry, processImageRepo(app.name, f.type), release.version) } : {}),
            ...(run ? { run: { ...run, env: serviceEnv(run.env, release.config) } } : {}),
          };
        });
        const text = stackFile({ app: app.name, image: releaseImageRef(registry, app.name, release.version), config: release.config, processes });
        return { body: { app: { id: app.id, name: app.name }, release: { version: release.version }, stack: text } };
      },
    },
  ];
}
