import type { App } from '../../domain/index.js';
import { PlatformError } from '../../shared/errors.js';
import type { ApiRequest } from '../http/index.js';

/** The app named in the path, which the route's `app:*` access already let the caller act on. */
export function appFor(req: Pick<ApiRequest, 'target' | 'path'>): App {
  if (!req.target.app) throw new PlatformError('internal_error', `No app access declared for ${req.path}.`);
  return req.target.app;
}
