import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPlatform } from '../test/support/platform.js';
import { rssKb } from './support/proc.js';
const p = await startPlatform({ env: { CUPAAS_ROUTER_DATA_PLANE: process.env.PLANE ?? 'auto' } });
try {
  await p.api('POST', '/apps', { name: 'one' });
  const pid = (JSON.parse(readFileSync(join(p.home, 'server.json'), 'utf8')) as { pid: number }).pid;
  await new Promise((r) => setTimeout(r, 3000));
  console.log('server rss MB', (rssKb(pid) / 1024).toFixed(1));
  const smaps = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  console.log(smaps.split('\n').filter((l) => /Rss|Pss|Anon|Shared|Private/.test(l)).join('\n'));
  console.log(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
} finally {
  await p.cleanup();
}
