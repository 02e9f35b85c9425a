import { fileURLToPath } from 'node:url';
import type { Logger } from '../shared/logger.js';
import { run } from '../shared/process.js';
import type { Engine } from './engine.js';

/** The stack image every slug image starts from, and user Dockerfiles may (`FROM cupaas/stack:latest`). */
export const STACK_IMAGE = 'cupaas/stack';
/** Bumped when the stack's contents change; slug images name the version they were made on. */
export const STACK_VERSION = '1';
export const STACK_TAG = `${STACK_IMAGE}:${STACK_VERSION}`;
/** The stack's non-root user, which dynos run as. */
export const STACK_USER = '10001:10001';

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-stack-image.sh', import.meta.url));

/** The stack image's id, or null when the engine lacks it. */
export async function stackImageId(engine: Engine): Promise<string | null> {
  try {
    return (await engine.getImage(STACK_TAG).inspect()).Id;
  } catch {
    return null;
  }
}

/**
 * Builds the stack image when the engine lacks it (debootstrap once, minutes;
 * the root filesystem is cached, so later imports take seconds), with the
 * build's progress lines going to the logger.
 */
export async function ensureStackImage(engine: Engine, logger: Logger): Promise<string> {
  const present = await stackImageId(engine);
  if (present) {
    // An engine given the stack by `docker load` (a swarm manager, say) has only the versioned tag; Dockerfiles say `latest`.
    const latest = await engine.getImage(`${STACK_IMAGE}:latest`).inspect().catch(() => null);
    if (!latest) await engine.getImage(present).tag({ repo: STACK_IMAGE, tag: 'latest' });
    return present;
  }
  logger.info('building the stack image (once; debootstrap takes a few minutes)', { image: STACK_TAG });
  const r = await run(['bash', BUILD_SCRIPT], {
    onOutput: (chunk) => chunk.split('\n').filter(Boolean).forEach((line) => logger.info('stack image', { line })),
  });
  const id = await stackImageId(engine);
  if (r.code !== 0 || !id) throw new Error(`building ${STACK_TAG} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return id;
}
