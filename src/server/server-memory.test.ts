import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../cli/local-server.js';
import { waitFor } from '../shared/wait.js';
import { tempDir } from '../../test/support/temp.js';

const REPO = new URL('../../', import.meta.url).pathname;
/**
 * What the server may hold beyond a bare `node` in the same run, idle with one
 * app (issue 17: ≤ 60 MB in all where a bare node takes ~41 MB). The bundle
 * measures ~25 MB here; the modules unbundled ~33, and the packages loaded on
 * first use add more: a regression of either fails.
 */
const OWN_SHARE_MAX_MB = 30;

/** Date methods that make V8 look up the host's time zone: the local-time ones, and toISOString (and toJSON, which calls it). */
const ZONED_DATE_METHODS = [
  'toISOString', 'toJSON', 'toString', 'toDateString', 'toTimeString', 'toLocaleString', 'toLocaleDateString', 'toLocaleTimeString',
  'getTimezoneOffset', 'getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds',
];

const vmRssMb = (pid: number) => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

/** VmRSS once it stopped moving (the same within 0.5 MB over 3 s), so start-up's garbage does not count. */
async function settledRssMb(pid: number): Promise<number> {
  const samples: number[] = [];
  return waitFor(
    () => {
      samples.push(vmRssMb(pid));
      const last = samples.slice(-6);
      return last.length === 6 && Math.max(...last) - Math.min(...last) < 0.5 ? (last.at(-1) as number) : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500, what: `the RSS of ${pid} to settle` },
  );
}

const children: ChildProcess[] = [];
after(async () => {
  for (const c of children) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const gone = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGTERM');
    await gone;
  }
});

/** A node as bin/cupaas.js starts the server: its flags and environment. */
function start(argv: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const c = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...argv], { env: { ...process.env, ...SERVER_ENV, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(c);
  return c;
}

test('`cupaas server` (the bundle) idles with one app within its share over a bare node', async () => {
  // Two levels below the repository, as dist/bundle/server.cjs is: its paths to buildpacks/ and node_modules hold.
  mkdirSync(join(REPO, 'test-artefacts'), { recursive: true });
  const out = mkdtempSync(join(REPO, 'test-artefacts', 'bundle-'));
  after(() => rmSync(out, { recursive: true, force: true }));
  const { bundleServer } = (await import(new URL('../../scripts/bundle-server.mjs', import.meta.url).href)) as {
    bundleServer(outDir: string): Promise<unknown>;
  };
  await bundleServer(out);

  const bare = start(['-e', 'setInterval(() => {}, 1000)']);
  const bareMb = await settledRssMb(bare.pid as number);

  const home = tempDir('cupaas-home');
  // Writes down Node's own modules the server has loaded, and the Date methods it called that look up the
  // host's time zone (in V8 toISOString does too: see shared/time.ts), when asked (SIGWINCH, which the
  // server does not use); renamed into place, so the test never reads a list half written.
  const loadedList = join(home, 'loaded.txt');
  const hook = join(home, 'loaded-hook.cjs');
  writeFileSync(
    hook,
    `const fs = require('node:fs'); const zoned = new Set();\n` +
      `for (const m of ${JSON.stringify(ZONED_DATE_METHODS)}) { const f = Date.prototype[m]; ` +
      `Date.prototype[m] = function (...a) { zoned.add('Date ' + m); return f.apply(this, a); }; }\n` +
      `process.on('SIGWINCH', () => { ` +
      `fs.writeFileSync(${JSON.stringify(`${loadedList}.tmp`)}, [...process.moduleLoadList, ...zoned].join('\\n')); ` +
      `fs.renameSync(${JSON.stringify(`${loadedList}.tmp`)}, ${JSON.stringify(loadedList)}); });`,
  );
  const server = start(['--require', hook, join(out, 'server.cjs'), 'server', '--api-port', '0', '--router-port', '0'], {
    CUPAAS_HOME: home, HOME: tempDir('cupaas-user'), CUPAAS_SANDBOX: 'off',
  });
  let stderr = '';
  server.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const info = await waitFor(
    () => {
      if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}: ${stderr}`);
      if (!existsSync(join(home, 'server.json'))) return undefined;
      const j = JSON.parse(readFileSync(join(home, 'server.json'), 'utf8')) as { pid: number; apiUrl: string };
      return j.pid === server.pid ? j : undefined;
    },
    { timeoutMs: 120_000, what: 'the server to start' },
  );
  const { apiKey } = JSON.parse(readFileSync(join(home, 'credentials.json'), 'utf8')) as { apiKey: string };
  const created = await fetch(`${info.apiUrl}/apps`, {
    method: 'POST',
    headers: { Accept: 'application/vnd.heroku+json; version=3', Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'memory' }),
  });
  assert.equal(created.status, 201, await created.text());

  const serverMb = await settledRssMb(info.pid);
  const own = serverMb - bareMb;
  assert.ok(own <= OWN_SHARE_MAX_MB, `the server holds ${serverMb.toFixed(1)} MB, ${own.toFixed(1)} MB over a bare node's ${bareMb.toFixed(1)} MB`);

  // Node's modules that an idle server has no use for: TLS, https and readline (loaded on first use),
  // perf_hooks (not used) and the ES module loader (the bundle and bin/cupaas.js are CommonJS).
  process.kill(info.pid, 'SIGWINCH');
  const loaded = await waitFor(() => existsSync(loadedList) && readFileSync(loadedList, 'utf8').split('\n'), { what: 'the list of loaded modules' });
  assert.ok(loaded.includes('NativeModule http'), 'the list holds what the server loaded');
  const unused = ['tls', 'https', 'readline', 'perf_hooks', 'internal/modules/esm/module_job'].map((m) => `NativeModule ${m}`);
  assert.deepEqual(unused.filter((m) => loaded.includes(m)), []);
  // Nor has it looked up the time zone (~0.9 MB of ICU's data, mapped for good).
  assert.deepEqual(loaded.filter((m) => m.startsWith('Date ')), []);
});

test("bin/cupaas.js's first line and `cupaas up` start the server with the same flags and environment", () => {
  const shebang = readFileSync(join(REPO, 'bin/cupaas.js'), 'utf8').split('\n')[0] as string;
  const words = shebang.replace(/^#!\/usr\/bin\/env -S /, '').split(' ');
  assert.deepEqual(words, [...Object.entries(SERVER_ENV).map(([k, v]) => `${k}=${v}`), 'node', ...SERVER_NODE_FLAGS]);
});
