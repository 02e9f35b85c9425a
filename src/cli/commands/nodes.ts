import type { NodeInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'nodes',
  summary: 'list the cluster\'s machines with role, state, address, capacity and the dynos on each (swarm runtime)',
  json: true,
  async run({ api, flags, out }) {
    const nodes = await api.request<NodeInfo[]>('GET', '/nodes');
    if (flags.json) return out.json(nodes);
    for (const n of nodes) {
      const role = n.leader ? 'manager (leader)' : n.role;
      out.line(`${n.name}  ${role}  ${n.state}/${n.availability}  ${n.address ?? '-'}  ${n.cpus} CPU ${n.memory_mb} MB  ${n.dynos.length} dynos`);
      for (const d of n.dynos) out.line(`  ${d.app.name} ${d.name}`);
    }
  },
});
