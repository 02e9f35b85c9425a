import { defineCommand } from '../command.js';
import { resolveApiKey } from '../credentials.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'auth:token',
  summary: 'print the API key in use (for scripts: curl -H "Authorization: Bearer $(cupaas auth:token)")',
  async run({ config, out }) {
    const resolved = resolveApiKey(config);
    if (!resolved) throw new CliError('No API key found.', 'Run `cupaas login`.');
    out.line(resolved.key);
  },
});
