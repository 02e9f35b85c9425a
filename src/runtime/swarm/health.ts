import { networkInterfaces } from 'node:os';
import { errorMessage } from '../../shared/errors.js';
import type { DriverDoctorReport, ServicesAddress } from '../types.js';
import type { Cluster } from './cluster.js';
import { nodeAddress, type SwarmNode } from './tasks.js';

const toInt = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

/**
 * Where add-on servers must listen for dynos on every node: the configured
 * address, else this machine's address on the network the nodes are on (the
 * interface whose subnet holds a node's address). Null when neither is known:
 * add-ons then listen on 127.0.0.1 only and the nodes cannot reach them.
 */
export function servicesAddressFor(configured: string | null, nodes: readonly SwarmNode[]): ServicesAddress | null {
  const addrs = nodes.flatMap((n) => nodeAddress(n) ?? []);
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) {
      if (i.family !== 'IPv4' || i.internal || !i.cidr) continue;
      const bits = Number(i.cidr.split('/')[1]);
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      const net = (toInt(i.address) & mask) >>> 0;
      const onIt = addrs.some((a) => ((toInt(a) & mask) >>> 0) === net);
      if (configured ? i.address === configured : onIt) return { address: i.address, clients: `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${bits}` };
    }
  }
  return configured ? { address: configured, clients: `${configured}/32` } : null;
}

/** Whether the engine is a swarm manager this driver can use, for `cupaas server --doctor`. */
export async function swarmDoctor(cluster: Cluster): Promise<DriverDoctorReport> {
  try {
    const info = await cluster.info();
    if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) {
      return { ok: false, report: 'swarm: the engine is not a swarm manager (run `docker swarm init` on it, or point CUPAAS_SWARM_HOST at a manager)' };
    }
    const nodes = await cluster.nodes();
    const ready = nodes.filter((n) => n.Status?.State === 'ready').length;
    return { ok: true, report: `swarm: manager reachable, ${ready}/${nodes.length} nodes ready` };
  } catch (e) {
    return { ok: false, report: `swarm: no Docker engine reachable (${errorMessage(e)}); set CUPAAS_SWARM_HOST (or DOCKER_HOST) to a swarm manager` };
  }
}
