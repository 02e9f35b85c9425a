/**
 * Images: the Docker engine as a part of the platform. Owns the engine
 * client, the stack image (a Debian minbase root filesystem built on this
 * machine, never pulled), slugs made into OCI images on it, the platform's
 * own registry (Debian's docker-registry, supervised, on loopback) and
 * pushing release tags to it and to an outside registry. Labels everything it
 * creates with the owning home. Must not know records or releases (callers
 * pass names and versions), nor decide what runs.
 */
export { connectEngine, engineStatus, type Engine, type EngineStatus } from './engine.js';
export { LABEL, homeLabel, isRepositoryComponent, processImageRepo, pullRef, registryHost, releaseImageRef } from './labels.js';
export { STACK_IMAGE, STACK_TAG, STACK_USER, STACK_VERSION, ensureStackImage, stackImageId } from './stack.js';
export { imageFromSlug, type SlugImageRequest } from './slug-image.js';
export { buildDockerfile, declaredArgs, type DockerfileBuild } from './dockerfile-build.js';
export { startLocalRegistry, type LocalRegistry, type RegistryOptions } from './registry.js';
export { isRegistryAnswer, registryAnswers, registryStatus, type RegistryRequest } from './registry-api.js';
export { pushTag, type PushedTag, type RegistryAuth } from './push.js';
export { pullImage } from './pull.js';
