/**
 * Git: deploy by `git push` over smart HTTP on the API port. Owns each app's
 * bare repository and its pre-receive hook, authenticates pushes with API
 * keys, and hands the pushed commit to the Deployer while the push waits.
 * Must not build or release by itself.
 */
export { gitRoutes, type GitDeps } from './routes.js';
export { createRepos, type Repos } from './repos.js';
