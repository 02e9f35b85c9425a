/** A Swarm task and node as the Engine API reports them, as far as cupaas reads them. */
export interface SwarmTask {
  ID?: string;
  ServiceID?: string;
  NodeID?: string;
  CreatedAt?: string;
  DesiredState?: string;
  Status?: {
    State?: string;
    Err?: string;
    Message?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
    PortStatus?: { Ports?: Array<{ PublishedPort?: number; TargetPort?: number }> };
  };
}

export interface SwarmNode {
  ID?: string;
  Description?: { Hostname?: string; Resources?: { NanoCPUs?: number; MemoryBytes?: number } };
  Spec?: { Role?: string; Availability?: string };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string; Addr?: string };
}

/** Where a dyno's task is, read from the manager's task and node lists. */
export type TaskPhase =
  | { phase: 'starting'; nodeId: string | null; note: string | null }
  | { phase: 'running'; nodeId: string; host: string | null; port: number | null }
  | { phase: 'exited'; nodeId: string | null; status: number; error: string | null; lost?: string };

/** Task states after which a task never runs again. */
export const ENDED = new Set(['complete', 'shutdown', 'failed', 'rejected', 'orphaned', 'remove']);
const NODE_GONE = new Set(['down', 'unknown', 'disconnected']);
/** Exit status reported for a dyno whose node went away: as if killed (128 + SIGKILL). */
export const NODE_LOST_STATUS = 137;

/** A node's address as the other nodes (and the router) reach it. */
export function nodeAddress(node: SwarmNode): string | null {
  const addr = node.Status?.Addr;
  if (addr && addr !== '0.0.0.0') return addr;
  return node.ManagerStatus?.Addr?.replace(/:\d+$/, '') ?? null;
}

export function nodeName(node: SwarmNode | undefined, fallbackId: string | null): string {
  return node?.Description?.Hostname ?? fallbackId ?? 'unknown';
}

/** The newest task of a service (a replica-1 service has more than one after a reschedule). */
export function newestTask(tasks: readonly SwarmTask[]): SwarmTask | null {
  let best: SwarmTask | null = null;
  for (const t of tasks) if (!best || (t.CreatedAt ?? '') > (best.CreatedAt ?? '')) best = t;
  return best;
}

/**
 * What a dyno's task means for the dyno. A task on a node that is down counts
 * as exited at once (the router must stop sending to it, the reconciler
 * replaces it); a task the node rejected (an image it cannot pull, say) is an
 * exit with the engine's error. Pure.
 */
export function taskPhase(task: SwarmTask | null, nodes: ReadonlyMap<string, SwarmNode>): TaskPhase {
  if (!task) return { phase: 'starting', nodeId: null, note: null };
  const nodeId = task.NodeID ?? null;
  const node = nodeId ? nodes.get(nodeId) : undefined;
  const state = task.Status?.State ?? 'new';
  const where = `node ${nodeName(node, nodeId)}`;
  if (ENDED.has(state)) {
    // A task whose container never ran failed on the node (image pull, mounts): that is an error to report, not an exit.
    const ran = Boolean(task.Status?.ContainerStatus?.ContainerID);
    const status = task.Status?.ContainerStatus?.ExitCode ?? 1;
    return { phase: 'exited', nodeId, status: ran ? status : 1, error: ran ? null : `${where}: ${task.Status?.Err ?? state}` };
  }
  if (node && NODE_GONE.has(node.Status?.State ?? '')) {
    return { phase: 'exited', nodeId, status: NODE_LOST_STATUS, error: null, lost: `${where} is ${node.Status?.State}` };
  }
  // `starting`: the container runs and the engine's health check has not passed yet. The driver probes
  // node address + port itself, so a web dyno serves as soon as it answers, not a check interval later.
  if ((state === 'running' || state === 'starting') && nodeId) {
    const port = task.Status?.PortStatus?.Ports?.find((p) => p.PublishedPort)?.PublishedPort ?? null;
    return { phase: 'running', nodeId, host: node ? nodeAddress(node) : null, port };
  }
  return { phase: 'starting', nodeId, note: task.Status?.Err || null };
}
