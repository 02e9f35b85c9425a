import type { DeployStep } from './context.js';
import { build } from './steps/build.js';
import { detect } from './steps/detect.js';
import { image } from './steps/image.js';
import { packSlug } from './steps/pack-slug.js';
import { receive } from './steps/receive.js';
import { release } from './steps/release.js';

/**
 * Every deploy, whatever started it, runs these steps in this order. The
 * reconciler and the router take over from the pending release.
 */
export const DEPLOY_PIPELINE: readonly DeployStep[] = [receive, detect, build, packSlug, image, release];
