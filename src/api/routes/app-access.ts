import type { App } from '../../domain/index.js';
import { PlatformError } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../http/index.js';

/** The app named in the path, if the caller owns it. */
export function appFor(ctx: Pick<ApiContext, 'apps'>, req: Pick<ApiRequest, 'params' | 'user'>): App {
  const app = ctx.apps.find(req.params.app as string);
  if (app.ownerId !== req.user.id) {
    throw new PlatformError('forbidden', `You do not have access to the app ${app.name}.`);
  }
  return app;
}
