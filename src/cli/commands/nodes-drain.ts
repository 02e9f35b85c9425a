import type { NodeInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'nodes:drain',
  summary: 'move every dyno off a node (replacements start elsewhere before the old ones stop), then keep it empty',
  args: 'NODE',
  json: true,
  async run({ api, args, flags, out }) {
    const name = args[0];
    if (!name) throw new CliError('Which node?', 'Usage: cupaas nodes:drain NODE (see `cupaas nodes`)');
    const node = await api.request<NodeInfo>('POST', `/nodes/${encodeURIComponent(name)}/actions/drain`);
    if (flags.json) return out.json(node);
    out.line(`Draining ${node.name}: ${node.dynos.length} dynos are being replaced on other nodes; \`cupaas nodes\` shows the progress.`);
  },
});
