import { defineCommand } from '../command.js';
import { apiHost } from '../credentials.js';
import { removeNetrcEntry } from '../netrc.js';

export default defineCommand({
  name: 'logout',
  summary: 'remove the stored API key from ~/.netrc',
  async run({ config, out }) {
    const removed = removeNetrcEntry(config.netrcPath, apiHost(config.apiUrl));
    out.line(removed ? 'Logged out' : 'Not logged in; nothing to remove');
  },
});
