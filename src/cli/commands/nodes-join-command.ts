import type { JoinCommandInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'nodes:join-command',
  summary: 'print what to run on a new machine so that it joins the cluster as a worker',
  json: true,
  async run({ api, flags, out }) {
    const join = await api.request<JoinCommandInfo>('GET', '/nodes/join-command');
    if (flags.json) return out.json(join);
    out.line('On the new machine (Docker engine installed, as root):');
    if (join.registry) {
      out.line(`  # let its engine pull release images from ${join.registry} (skip if that registry has TLS): add this key to`);
      out.line('  # /etc/docker/daemon.json, keeping what the file already holds, then `systemctl restart docker`:');
      out.line(`  #   "insecure-registries": ["${join.registry}"]`);
    } else {
      out.line('  # the platform\'s registry listens on loopback only: set CUPAAS_REGISTRY_URL to a registry every node reaches first');
    }
    out.line(`  docker swarm join --token ${join.token} ${join.managers[0] ?? 'MANAGER:2377'}`);
  },
});
