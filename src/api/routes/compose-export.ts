import { registryHost, releaseImageRef } from '../../images/index.js';
import { stackFile } from '../../runtime/index.js';
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
        // The stack file names one image for every service: an export would run each process type with the web image.
        if (Object.keys(slug.processImages ?? {}).length) {
          throw new PlatformError('invalid_params', `${app.name}'s process types run images of their own (heroku.yml or Compose); exporting those as a stack file is not supported yet.`);
        }
        const text = stackFile({
          app: app.name,
          image: releaseImageRef(registryHost(ctx.config.images), app.name, release.version),
          config: release.config,
          processes: ctx.formation.list(app).map((f) => ({ type: f.type, command: f.command, quantity: f.quantity, size: f.size })),
        });
        return { body: { app: { id: app.id, name: app.name }, release: { version: release.version }, stack: text } };
      },
    },
  ];
}
