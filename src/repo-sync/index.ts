/**
 * Repo sync: apps connected to a git repository and branch deploy every new
 * head of that branch by themselves, told by a webhook or by polling.
 *
 * Owns the connections' mirrors (`$CUPAAS_HOME/mirrors/<appId>.git`), webhook
 * verification, the polling schedule with back-off, and a per-app deploy
 * queue that deploys each sha once and only the newest of a burst.
 * Must not build or release anything itself: every deploy goes through the
 * Deployer port, the same path as `git push`. Credentials and webhook secrets
 * never leave it except the secret once, at connect time.
 */
export { createRepoSync, type RepoSync, type RepoSyncDeps, type ConnectResult, type DeployAttempt } from './service.js';
export {
  credentialKind,
  DEFAULT_POLL_INTERVAL,
  MAX_POLL_INTERVAL,
  type ConnectInput,
  type CredentialInput,
  type CredentialKind,
} from './internal/connection.js';
export type { SyncResult } from './internal/syncer.js';
export type { WebhookOutcome } from './internal/webhooks/read-webhook.js';
