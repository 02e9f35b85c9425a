import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalDriver } from './src/runtime/local/index.js';
import { createSandboxLauncher } from './src/runtime/local/sandbox/index.js';
import { newId } from './src/shared/ids.js';
import { silentLogger } from './src/shared/logger.js';
import { waitFor } from './src/shared/wait.js';
import { createSlugArchive } from './src/slugs/index.js';
import { execFileSync } from 'node:child_process';
const sandbox = { mode: 'auto' as const, privateNetwork: true, addressPool: '172.16.0.0/12', user: 'cupaas-dyno' };
const home = mkdtempSync(join(tmpdir(), 'exp-'));
const lines: string[] = [];
const logs = { write: (_a: string, l: { message: string }) => { lines.push(l.message); } } as never;
const config = { home, sandbox, hostPath: process.env.PATH ?? '', dyno: { bootTimeoutMs: 10000, stopTimeoutMs: 30000, crashBackoffBaseMs: 1000, crashBackoffMaxMs: 1000 } };
const plain = process.argv[2] === 'plain';
const driver = createLocalDriver({ config, logs, logger: silentLogger } as never, plain ? undefined as never : createSandboxLauncher({ sandbox, logs, logger: silentLogger }));
const events: any[] = [];
driver.subscribe((e) => events.push(e));
const checksum = (await createSlugArchive(join(home, 'slugs')).pack('/tmp/sigexp/app')).checksum;
await driver.recover();
for (const cmd of (process.argv[3] ?? 'node server.js').split('|')) {
  for (const handle of ['', '1']) {
    const id = newId();
    driver.start({ dynoId: id, appId: 'a', name: 'web.1', processType: 'web', releaseId: 'r', releaseVersion: 1, slugChecksum: checksum, command: cmd, size: 'standard-1x', env: { HANDLE: handle }, web: true, healthCheckPath: null } as never);
    await waitFor(() => events.some((e) => e.type === 'up' && e.dynoId === id), { what: 'up', timeoutMs: 15000 });
    if (process.argv[4]) console.log(execFileSync('ps', ['-eo', 'pid,ppid,pgid,sid,stat,comm,args']).toString().split('\n').filter((l) => /bwrap|server.js|sleep 1000|nsenter/.test(l)).join('\n'));
    const t0 = Date.now();
    const r = await driver.stop(id);
    console.log(JSON.stringify({ cmd, handle, ms: Date.now() - t0, r, exit: events.find((e) => e.type === 'exited' && e.dynoId === id)?.status }));
  }
}
console.log(lines.join('\n'));
await driver.close();
rmSync(home, { recursive: true, force: true });
