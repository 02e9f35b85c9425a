import { notFound } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { STACK } from '../shapes.js';
import { appFor } from './app-access.js';

/** `GET /apps/{app}/slugs/{id}` in Heroku's slug shape (the archive itself is not downloadable). */
export function slugRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/apps/:app/slugs/:slug',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        const slug = ctx.store.slugs.get(req.params.slug as string);
        if (!slug || slug.appId !== app.id) throw notFound('slug', req.params.slug as string);
        return {
          body: {
            id: slug.id,
            blob: null,
            buildpack_provided_description: slug.buildpackDescription,
            checksum: slug.checksum,
            commit: slug.commit,
            commit_description: slug.commitDescription,
            process_types: slug.processTypes,
            size: slug.size,
            stack: STACK,
            /** cupaas: the web dynos' health-check path (`.cupaas` / app.json `healthcheck`), or null. */
            health_check_path: slug.healthCheckPath,
            created_at: slug.createdAt,
            updated_at: slug.createdAt,
          },
        };
      },
    },
  ];
}
