import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { Cluster } from './cluster.js';
import { LABEL } from './service-spec.js';
import { nodeName, type SwarmNode, type SwarmTask } from './tasks.js';

/** Marks the one-shot services that pull a release image onto every node. */
export const PREPULL_LABEL = 'io.cupaas.prepull';
const ENDED = new Set(['complete', 'failed', 'rejected', 'shutdown', 'orphaned', 'remove']);

/**
 * The global job that makes every active node pull `image` once (Swarm has no
 * pull call of its own): one task per node, a process that exits at once
 * (`true`; an image without it fails after the pull, which is all it is for),
 * no network, no restart. Pure.
 */
export function prepullSpec(image: string, platformId: string) {
  const id = createHash('sha256').update(image).digest('hex').slice(0, 12);
  const labels = { [LABEL.platform]: platformId, [PREPULL_LABEL]: image };
  return {
    Name: `cupaas-prepull-${id}`,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: { Image: image, Command: ['true'], Labels: labels },
      Resources: { Limits: { MemoryBytes: 64 * 1024 * 1024, Pids: 16 } },
      RestartPolicy: { Condition: 'none' },
    },
    Mode: { GlobalJob: {} },
  };
}

/** A node's failed pull, from a pre-pull task: the engine's error, or null when the image arrived. */
export function pullFailure(task: SwarmTask): string | null {
  const state = task.Status?.State ?? '';
  if (state !== 'rejected' && !(state === 'failed' && !task.Status?.ContainerStatus?.ContainerID)) return null;
  return task.Status?.Err ?? state;
}

export interface Prepuller {
  /** Starts pulling `image` on every node, once per image; resolves when every node has tried. */
  warm(image: string, onFailure: (node: string, error: string) => void): void;
  /** Removes the pre-pull jobs a previous control plane left. */
  removeLeftovers(): Promise<void>;
}

/**
 * Release images reach every node when the release starts, not when a dyno
 * first lands on a node: a later `ps:scale` or a rescheduling after a node
 * failure then starts from a local image instead of a download. A node that
 * cannot pull is reported at once, before a dyno waits on it.
 */
export function createPrepuller(cluster: Cluster, platformId: string, logger: Logger, signal: AbortSignal): Prepuller {
  const seen = new Set<string>();
  /** A tag the registry does not have yet (its push is still under way) is tried again with the next dyno. */
  const notThereYet = (error: string) => /manifest unknown|not found/i.test(error);
  const run = async (image: string, onFailure: (node: string, error: string) => void) => {
    const id = await cluster.createService(prepullSpec(image, platformId) as never);
    try {
      const reported = new Set<string>();
      for (let i = 0; i < 600 && !signal.aborted; i++) {
        const [tasks, nodes] = await Promise.all([cluster.tasksOf(id), cluster.nodes()]);
        const byId = new Map(nodes.map((n: SwarmNode) => [n.ID, n]));
        for (const t of tasks) {
          const error = pullFailure(t);
          if (error && notThereYet(error)) seen.delete(image);
          else if (error && t.NodeID && !reported.has(t.NodeID)) {
            reported.add(t.NodeID);
            onFailure(nodeName(byId.get(t.NodeID), t.NodeID), error);
          }
        }
        if (tasks.length && tasks.every((t) => ENDED.has(t.Status?.State ?? ''))) return;
        await delay(1000, undefined, { signal }).catch(() => undefined);
      }
    } finally {
      await cluster.removeService(id).catch(() => undefined);
    }
  };
  return {
    warm(image, onFailure) {
      if (seen.has(image)) return;
      seen.add(image);
      run(image, onFailure).catch((e: unknown) => {
        seen.delete(image);
        logger.warn('pre-pulling a release image failed', { image, error: errorMessage(e) });
      });
    },
    async removeLeftovers() {
      for (const s of await cluster.services(platformId)) {
        if (s.Spec.Labels[PREPULL_LABEL]) await cluster.removeService(s.ID).catch(() => undefined);
      }
    },
  };
}
