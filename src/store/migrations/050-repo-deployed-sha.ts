import type { Migration } from './migration.js';

/**
 * The sha of a connected repo's last finished deploy, apart from the last sha
 * seen: a deploy still queued or building when the server stops is offered
 * again at the next start. Existing connections count as deployed up to what
 * they saw (the behaviour until now), so upgrading redeploys nothing.
 */
export const repoDeployedSha: Migration = {
  id: 50,
  name: 'repo-deployed-sha',
  up: `ALTER TABLE repo_connections ADD COLUMN last_deployed_sha TEXT;
    UPDATE repo_connections SET last_deployed_sha = last_seen_sha;`,
};
