/**
 * Deploy: the one build-and-release path (the `Deployer` port) for git
 * pushes, the builds API and connected repos. Runs the pipeline
 * receive → detect → build → pack slug → release, one build per app at a
 * time, records builds and keeps their output. Creates pending releases and
 * formation intent; must not start dynos or wait for the reconciler.
 */
export { createDeployService, type DeployService, type StartedDeploy } from './service.js';
export { DEPLOY_PIPELINE } from './pipeline.js';
export { createSourceBlobs, type SourceBlobs } from './sources.js';
export { type DeployDeps, type DeployStep } from './context.js';
export { deployDescription } from './steps/release.js';
export { createReleaseImages, type ReleaseImages } from './release-images.js';
