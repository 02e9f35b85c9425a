import { initial } from './001-initial.js';
import { deployAndRun } from './002-deploy-and-run.js';
import { dynoRestarts } from './020-dyno-restarts.js';
import { slugHealthCheck } from './021-slug-health-check.js';
import { repoDeployedSha } from './050-repo-deployed-sha.js';
import { slugImage } from './200-slug-image.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** Every migration, in the order they apply. New ones go at the end. */
export const MIGRATIONS: readonly Migration[] = [initial, deployAndRun, dynoRestarts, slugHealthCheck, repoDeployedSha, slugImage];
