import { resolveConfig } from '../../config/index.js';
import { defineCommand } from '../command.js';
import { stopLocalServer } from '../local-server.js';

export default defineCommand({
  name: 'down',
  summary: 'stop the platform that `cupaas up` started on this machine (dynos stop with it)',
  async run({ out }) {
    const { home } = resolveConfig();
    const pid = await stopLocalServer(home);
    out.line(pid ? `Stopped the cupaas server (pid ${pid}) on ${home}` : `No cupaas server is running on ${home}`);
  },
});
