import { initial } from './001-initial.js';
import { deployAndRun } from './002-deploy-and-run.js';
import { dynoRestarts } from './020-dyno-restarts.js';
import { slugHealthCheck } from './021-slug-health-check.js';
import { repoDeployedSha } from './050-repo-deployed-sha.js';
import { drainUrlSealed } from './120-drain-url-sealed.js';
import { slugImage } from './200-slug-image.js';
import { usersAndAccess } from './300-users-and-access.js';
import { cronJobs } from './400-cron-jobs.js';
import { sniEndpoints } from './450-sni-endpoints.js';
import { metricsAndAutoscaling } from './500-metrics-and-autoscaling.js';
import { releaseImageDigest } from './600-release-image-digest.js';
import { processImages } from './601-process-images.js';
import { processImageRecords } from './620-process-image-records.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** Every migration, in the order they apply. New ones go at the end. */
export const MIGRATIONS: readonly Migration[] = [
  initial, deployAndRun, dynoRestarts, slugHealthCheck, repoDeployedSha, drainUrlSealed, slugImage, usersAndAccess, cronJobs,
  sniEndpoints, metricsAndAutoscaling, releaseImageDigest, processImages, processImageRecords,
];
