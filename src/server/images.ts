import { join } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { createReleaseImages, type ReleaseImages } from '../deploy/index.js';
import type { LogSink } from '../domain/index.js';
import {
  connectEngine, engineStatus, ensureStackImage, registryAnswers, registryHost, stackImageId, startLocalRegistry, STACK_TAG,
} from '../images/index.js';
import { sandboxDoctor, swarmDoctorReport, type RuntimeDriver } from '../runtime/index.js';
import type { Logger } from '../shared/logger.js';
import type { SlugArchive } from '../slugs/index.js';
import type { Store } from '../store/index.js';

export interface StartedImages {
  images: ReleaseImages;
  stop(): Promise<void>;
}

/**
 * When the platform runs images (the driver runs them, or `CUPAAS_IMAGES=on`):
 * checks the engine (refusing, with what to install, when there is none),
 * builds the stack image if missing, and starts the platform's own registry
 * unless `CUPAAS_REGISTRY_URL` names one. Null when images are off.
 */
export async function startImages(deps: {
  config: Readonly<ResolvedConfig>;
  driver: Pick<RuntimeDriver, 'runs'>;
  store: Pick<Store, 'apps' | 'releases' | 'slugs'>;
  slugs: Pick<SlugArchive, 'extract'>;
  logs: LogSink;
  logger: Logger;
}): Promise<StartedImages | null> {
  const { config, logger } = deps;
  if (deps.driver.runs !== 'image' && !config.images.always) return null;
  const engine = connectEngine(config.images.dockerSocket);
  const status = await engineStatus(engine, config.images.dockerSocket);
  if (!status.ok) throw new Error(`the ${config.runtimeDriver} runtime needs the Docker engine: ${status.report}`);
  await ensureStackImage(engine, logger);
  const registry = config.images.registryUrl
    ? null
    : await startLocalRegistry({ dir: join(config.home, 'registry'), port: config.images.registryPort, logger });
  const images = createReleaseImages({ engine, config, store: deps.store, slugs: deps.slugs, logs: deps.logs, logger });
  logger.info('release images on', { engine: status.report, registry: images.registry });
  const made = await images.backfill();
  if (made) logger.info('made the images of releases deployed while images were off', { count: made });
  return {
    images,
    async stop() {
      await images.settled();
      await registry?.stop();
    },
  };
}

/** `cupaas server --doctor`: the dyno sandbox, the Docker engine, the stack image, the registry and the swarm. */
export async function serverDoctor(config: Readonly<ResolvedConfig>): Promise<string> {
  const engine = connectEngine(config.images.dockerSocket);
  const status = await engineStatus(engine, config.images.dockerSocket);
  const stack = status.ok ? await stackImageId(engine) : null;
  const registry = registryHost(config.images);
  const lines = [
    (await sandboxDoctor(config.sandbox)).report,
    `docker engine: ${status.report}`,
    `stack image: ${stack ? `${STACK_TAG} ${stack.slice(0, 19)}` : `${STACK_TAG} missing (built on first use with --runtime docker, or scripts/build-stack-image.sh)`}`,
    `registry: ${registry} ${config.images.registryUrl ? '(CUPAAS_REGISTRY_URL)' : "(the platform's own, started with the server)"}: ${
      (await registryAnswers(registry)) ? 'answers' : 'not answering now'
    }`,
    await swarmDoctorReport({ dockerHost: config.swarm.dockerHost, registry }),
  ];
  return lines.join('\n');
}
