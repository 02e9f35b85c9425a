/**
 * Apps: the lifecycle of an app record (create, rename, settings, destroy).
 * Other subsystems react to app events; teardown hooks run before a destroy.
 */
export { createAppService, type AppService } from './service.js';
