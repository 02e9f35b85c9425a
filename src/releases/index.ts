/**
 * Releases: config changes, deploys and rollbacks as numbered, append-only
 * releases. Records intent only; never starts or stops dynos.
 */
export { createReleaseService, type ReleaseService, type NewDeployRelease } from './service.js';
export { applyConfigChanges, describeConfigChange, type ConfigChanges } from './config-change.js';
