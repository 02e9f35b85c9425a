/**
 * The router outlives its control plane: with real processes (two dynos, a
 * control plane stand-in running the HAProxy plane, HAProxy itself), a
 * `kill -9` of the control plane fails no request, and the next one adopts
 * the running HAProxy (same pid, no reload) instead of starting a second.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TSX_ARGS } from '../../../test/support/platform.js';
import { tempDir } from '../../../test/support/temp.js';
import { waitFor } from '../../shared/wait.js';
import { processStartTime } from '../../shared/proc-stat.js';
import { haproxyMissing } from './process.js';

const alive = (pid: number) => processStartTime(pid) !== null;

const HOST_SCRIPT = new URL('../../../test/support/haproxy-plane-host.ts', import.meta.url).pathname;
const DYNO = `require('http').createServer((q, s) => s.end(String(process.pid))).listen(0, '127.0.0.1', function () {
  console.log(this.address().port);
});`;

const children: ChildProcess[] = [];
let haproxyPid = 0;
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (haproxyPid && alive(haproxyPid)) process.kill(haproxyPid, 'SIGKILL');
});

/** A child process and its stdout lines as they come. */
function run(args: string[], env: Record<string, string> = {}): { child: ChildProcess; lines: string[] } {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  let rest = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => {
    const parts = (rest + c).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
  Object.defineProperty(lines, 'stderr', { get: () => err });
  return { child, lines };
}

const stderrOf = (lines: string[]) => (lines as unknown as { stderr: string }).stderr;

function get(port: number, agent: Agent, rid: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, agent, headers: { Host: 'app.localhost', 'X-Request-Id': rid } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a kill -9 of the control plane fails no request; the next one adopts the running haproxy', { skip: haproxyMissing() ?? false }, async () => {
  const dynos = [run(['-e', DYNO]), run(['-e', DYNO])];
  const ports = await Promise.all(dynos.map((d) => waitFor(() => d.lines[0] && Number(d.lines[0]), { what: 'dyno port' })));
  const backends = ports.map((port, i) => ({ dynoId: `d${i}`, dynoName: `web.${i + 1}`, host: '127.0.0.1', port }));
  const dir = join(tempDir('cupaas-adopt'), 'router');
  const env = { CUPAAS_TEST_BACKENDS: JSON.stringify(backends), CUPAAS_TEST_ADOPT_DELAY_MS: '1500' };

  const first = run([...TSX_ARGS, HOST_SCRIPT, dir, '0'], env);
  const port = await waitFor(() => first.lines.find((l) => l.startsWith('port '))?.slice(5), { timeoutMs: 30_000, what: 'first control plane' });
  haproxyPid = Number(readFileSync(join(dir, 'haproxy.pid'), 'utf8').split(' ')[0]);

  // One client loop for the whole test, keep-alive and fresh connections mixed, every answer kept.
  const answers: Array<{ status: number; body: string; rid: string; phase: string }> = [];
  // The first control plane names its dynos after a moment too: its H10s before that are not what this test is about.
  let phase = 'boot';
  let stop = false;
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  const loop = (async () => {
    for (let i = 0; !stop; i++) {
      const rid = `adopt-test-request-${String(i).padStart(6, '0')}`;
      const r = await get(Number(port), i % 3 ? agent : new Agent(), rid).catch((e: Error) => ({ status: 0, body: e.message }));
      answers.push({ ...r, rid, phase });
    }
  })();
  const answered = (p: string, n: number) => waitFor(() => answers.filter((a) => a.phase === p && a.status === 200).length >= n,
    { timeoutMs: 60_000, what: `${n} answers while ${p}` });
  await answered('boot', 1);
  phase = 'up';
  await answered('up', 30);

  first.child.kill('SIGKILL');
  await waitFor(() => first.child.exitCode !== null || first.child.signalCode !== null, { what: 'control plane killed' });
  phase = 'down';
  assert.ok(alive(haproxyPid), 'haproxy outlives the killed control plane');
  await answered('down', 50);

  phase = 'adopting';
  const second = run([...TSX_ARGS, HOST_SCRIPT, dir, '0'], env);
  await waitFor(() => second.lines.some((l) => l.startsWith('port ')), { timeoutMs: 30_000, what: 'second control plane' });
  assert.equal(second.lines.find((l) => l.startsWith('port ')), `port ${port}`);
  // The stand-in names the dynos only after a moment, as a runtime adopting them would: the routes hold meanwhile.
  await answered('adopting', 50);
  phase = 'after';
  await answered('after', 30);
  stop = true;
  await loop;
  agent.destroy();

  const counted = answers.filter((a) => a.phase !== 'boot');
  assert.deepEqual(counted.filter((a) => a.status !== 200).slice(0, 5), [], 'every request answered 200');
  assert.equal(Number(readFileSync(join(dir, 'haproxy.pid'), 'utf8').split(' ')[0]), haproxyPid, 'the same haproxy, adopted');
  assert.ok(alive(haproxyPid));
  assert.match(stderrOf(second.lines), /adopted the running haproxy/);
  const served = new Set(counted.map((a) => Number(a.body)));
  assert.deepEqual([...served].sort(), dynos.map((d) => d.child.pid).sort(), 'served by the same two dynos throughout');

  // The lines HAProxy logged while no control plane listened reach the next one from its ring.
  const logged = new Set(second.lines.filter((l) => l.startsWith('request ')).map((l) => (JSON.parse(l.slice(8)) as { requestId: string }).requestId));
  const downRids = answers.filter((a) => a.phase === 'down').map((a) => a.rid);
  await waitFor(() => {
    for (const l of second.lines) if (l.startsWith('request ')) logged.add((JSON.parse(l.slice(8)) as { requestId: string }).requestId);
    return downRids.every((r) => logged.has(r));
  }, { timeoutMs: 20_000, what: `the ${downRids.length} requests made while down logged by the next control plane` });

  // A normal stop still stops HAProxy.
  second.child.kill('SIGTERM');
  await waitFor(() => !alive(haproxyPid), { timeoutMs: 20_000, what: 'haproxy stopped with the control plane' });
});
