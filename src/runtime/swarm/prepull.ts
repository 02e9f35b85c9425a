import { createHash } from 'node:crypto';
import { registryStatus } from '../../images/index.js';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { delay } from '../../shared/wait.js';
import type { Cluster } from './cluster.js';
import { LABEL } from './service-spec.js';
import { ENDED, nodeName, type SwarmNode, type SwarmTask } from './tasks.js';

/** Marks the one-shot services that pull a release image onto every node. */
export const PREPULL_LABEL = 'io.cupaas.prepull';
/** Rounds of waiting for a release's push (about two seconds apart, plus the round itself). */
const PUSH_WAIT_ROUNDS = 60;

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

/** `HOST/REPO:TAG` or `HOST/REPO@DIGEST` → its registry and where its manifest is in the registry's API. Null for a name without a registry host. */
export function manifestPath(ref: string): { host: string; path: string } | null {
  const slash = ref.indexOf('/');
  const host = ref.slice(0, slash);
  if (slash < 0 || !/[.:]|^localhost$/.test(host)) return null;
  const rest = ref.slice(slash + 1);
  const at = rest.indexOf('@');
  const colon = rest.lastIndexOf(':');
  const [repo, reference] = at >= 0 ? [rest.slice(0, at).replace(/:[^/]*$/, ''), rest.slice(at + 1)] : colon > 0 ? [rest.slice(0, colon), rest.slice(colon + 1)] : [rest, 'latest'];
  return { host, path: `/v2/${repo}/manifests/${reference}` };
}

const MANIFEST_TYPES = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';

/** Whether the registry has the image now (true/false), or null when it cannot be asked from here (or wants a password). */
export async function inRegistry(ref: string): Promise<boolean | null> {
  const where = manifestPath(ref);
  if (!where) return null;
  try {
    const status = await registryStatus(where.host, where.path, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES } });
    return status === 200 ? true : status === 404 ? false : null;
  } catch {
    return null;
  }
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
  const reported = new Set<string>();

  /** One round of the job: resolves true when nodes missed an image the registry does not have yet. */
  const round = async (image: string, onFailure: (node: string, error: string) => void): Promise<boolean> => {
    const id = await cluster.createService(prepullSpec(image, platformId) as never);
    try {
      for (let i = 0; i < 600 && !signal.aborted; i++) {
        const [tasks, nodes] = await Promise.all([cluster.tasksOf(id), cluster.nodes()]);
        const byId = new Map(nodes.map((n: SwarmNode) => [n.ID, n]));
        if (!tasks.length || !tasks.every((t) => ENDED.has(t.Status?.State ?? ''))) {
          await delay(1000, signal).catch(() => undefined);
          continue;
        }
        const failed = tasks.flatMap((t) => {
          const error = pullFailure(t);
          return error && t.NodeID ? [{ node: nodeName(byId.get(t.NodeID), t.NodeID), error }] : [];
        });
        if (!failed.length) return false;
        // The engine hides why a pull failed ("No such image"): it is the node's fault only once the registry has the image.
        if ((await inRegistry(image)) === false) return true;
        for (const f of failed) {
          if (reported.has(`${image} ${f.node}`)) continue;
          reported.add(`${image} ${f.node}`);
          onFailure(f.node, f.error);
        }
        return false;
      }
      return false;
    } finally {
      await cluster.removeService(id).catch(() => undefined);
    }
  };

  /** The release's dynos start as its push begins: a tag not in the registry yet is tried again until the push lands. */
  const run = async (image: string, onFailure: (node: string, error: string) => void) => {
    for (let attempt = 0; attempt < PUSH_WAIT_ROUNDS && !signal.aborted; attempt++) {
      if (!(await round(image, onFailure))) return;
      await delay(2000, signal).catch(() => undefined);
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
