import type { ClusterNode } from '../../domain/index.js';
import { nodeAddress, type SwarmNode } from './tasks.js';

/** A node as `cupaas nodes` shows it. */
export type NodeView = ClusterNode;

/** Node views from the manager's node list and where each dyno runs. Pure. */
export function nodeViews(nodes: readonly SwarmNode[], dynosOnNode: ReadonlyMap<string, ClusterNode['dynos']>): NodeView[] {
  return nodes
    .map((n) => ({
      id: n.ID ?? '',
      name: n.Description?.Hostname ?? n.ID ?? '',
      role: n.Spec?.Role === 'manager' ? ('manager' as const) : ('worker' as const),
      leader: n.ManagerStatus?.Leader === true,
      state: n.Status?.State ?? 'unknown',
      availability: n.Spec?.Availability ?? 'active',
      address: nodeAddress(n),
      cpus: (n.Description?.Resources?.NanoCPUs ?? 0) / 1e9,
      memoryMb: Math.round((n.Description?.Resources?.MemoryBytes ?? 0) / (1024 * 1024)),
      dynos: [...(dynosOnNode.get(n.ID ?? '') ?? [])].sort((a, b) => `${a.app} ${a.dyno}`.localeCompare(`${b.app} ${b.dyno}`)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The node a user names: by hostname, id or id prefix (as `docker node` accepts). */
export function findNode(nodes: readonly SwarmNode[], name: string): SwarmNode | null {
  return (
    nodes.find((n) => n.Description?.Hostname === name || n.ID === name) ??
    (name.length >= 4 ? (nodes.filter((n) => n.ID?.startsWith(name)).length === 1 ? (nodes.find((n) => n.ID?.startsWith(name)) ?? null) : null) : null)
  );
}
