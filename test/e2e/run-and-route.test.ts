/**
 * Issue 4 end to end, every part real: git push → build → release → dynos
 * (local runtime, sandboxed where possible) → router, with logs. Slow: it
 * builds with npm and restarts dynos.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { waitFor } from '../../src/shared/wait.js';
import { SERVER_ENTRY, startPlatform, TSX_ARGS, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc, type AppWorkTree } from '../support/push.js';

let p: TestPlatform;
let tree: AppWorkTree;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

before(async () => {
  p = await startPlatform({ env: { CUPAAS_STOP_TIMEOUT: '5', CUPAAS_CRASH_BACKOFF_BASE: '1' } });
  writeNetrc(p);
});
after(async () => {
  agent.destroy();
  await p.cleanup();
});

interface Reply {
  status: number;
  body: string;
}

/** GET through the router with the app's Host header, over keep-alive. */
function get(app: string, path = '/'): Promise<Reply> {
  const router = new URL(p.routerUrl as string);
  return new Promise((resolve, reject) => {
    const req = request({ host: router.hostname, port: router.port, path, agent, headers: { Host: `${app}.localhost` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const dynoOf = (body: string) => /dyno=(\S+)/.exec(body)?.[1];

/** Requests in a loop (4 at a time) until stopped; every status is kept. */
function requestLoop(app: string) {
  const statuses: number[] = [];
  const errors: string[] = [];
  let running = true;
  const worker = async () => {
    while (running) {
      try {
        const r = await get(app);
        statuses.push(r.status);
        // What a failed answer said (its router error id) goes with the test's failure message.
        if (r.status !== 200) errors.push(`${r.status} ${r.body.slice(0, 120)}`);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
  };
  const workers = Array.from({ length: 4 }, worker);
  return {
    statuses,
    /** Idempotent: the test calls it to read the results, t.after again if the test failed first. */
    async stop() {
      running = false;
      await Promise.all(workers);
      return { statuses, errors };
    },
  };
}

const ok = async (args: string[]) => {
  const r = await p.cli(args);
  assert.equal(r.code, 0, `cupaas ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

async function dynos(app: string): Promise<Array<{ name: string; state: string; release: { version: number } }>> {
  return (await p.api('GET', `/apps/${app}/dynos`)).body;
}

async function currentRelease(app: string): Promise<{ version: number; status: string }> {
  const r = await p.api('GET', `/apps/${app}/releases`, undefined, { Range: 'version ..; max=1, order=desc' });
  return r.body[0];
}

/** Waits until the newest release runs: succeeded and served by the router. */
async function waitReleased(app: string, version: number): Promise<void> {
  await waitFor(async () => {
    const r = await currentRelease(app);
    if (r.status === 'failed') throw new Error(`release v${r.version} failed`);
    return r.version === version && r.status === 'succeeded';
  }, { timeoutMs: 90_000, intervalMs: 200, what: `v${version} of ${app} to succeed` });
}

/** The host pids of an app's dyno (its process tree), found through /proc. */
function pidsOfDyno(app: string, dyno: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(join('/proc', entry, 'environ'), 'utf8').split('\0');
      if (env.includes(`CUPAAS_APP=${app}`) && env.includes(`DYNO=${dyno}`)) pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

describe('run and route', () => {
  it('pushes the example and serves it through the router', async () => {
    assert.equal((await p.api('POST', '/apps', { name: 'rr' })).status, 201);
    tree = await appWorkTree(p, 'rr', 'node-hello');
    await tree.commit('first');
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    await waitReleased('rr', 2);
    const r = await get('rr');
    assert.equal(r.status, 200);
    assert.match(r.body, /Hello from node-hello! dyno=web\.1/);
  });

  it('scales web to 3 and sees 3 distinct DYNO values', async () => {
    await ok(['ps:scale', 'web=3', '-a', 'rr']);
    const seen = new Set<string>();
    await waitFor(async () => {
      const d = dynoOf((await get('rr')).body);
      if (d) seen.add(d);
      return seen.size === 3;
    }, { timeoutMs: 60_000, intervalMs: 20, what: '3 distinct dynos answering' });
    assert.deepEqual([...seen].sort(), ['web.1', 'web.2', 'web.3']);
    const ps = await ok(['ps', '-a', 'rr']);
    assert.equal((ps.match(/web\.\d/g) ?? []).length, 3, ps);
  });

  it('restarts a dyno killed with SIGKILL while the router keeps answering 200', async (t) => {
    const victims = pidsOfDyno('rr', 'web.2');
    assert.ok(victims.length > 0, 'found the processes of web.2');
    const loop = requestLoop('rr');
    t.after(() => loop.stop());
    await waitFor(() => loop.statuses.length > 20, { what: 'traffic before the kill' });
    for (const pid of victims) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch (e) {
        // Killing one process of the dyno can end the others first.
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      }
    }
    await waitFor(async () => {
      const fresh = pidsOfDyno('rr', 'web.2');
      return fresh.length > 0 && !fresh.some((pid) => victims.includes(pid)) && (await dynos('rr')).filter((d) => d.state === 'up').length === 3;
    }, { timeoutMs: 60_000, intervalMs: 100, what: 'web.2 to be restarted' });
    const { statuses, errors } = await loop.stop();
    assert.deepEqual(errors, []);
    assert.ok(statuses.length > 50);
    assert.deepEqual([...new Set(statuses)], [200], `statuses during the kill: ${JSON.stringify(statuses.filter((s) => s !== 200))}`);
  });

  it('deploys, rolls back and scales down under load without a failed request', async (t) => {
    const loop = requestLoop('rr');
    t.after(() => loop.stop());
    await waitFor(() => loop.statuses.length > 20, { what: 'traffic' });

    await tree.commit('second', { 'server.js': readFileSync(join(tree.dir, 'server.js'), 'utf8').replace('Hello from', 'Hi again from') });
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    await waitReleased('rr', 3);
    await waitFor(async () => /Hi again from/.test((await get('rr')).body), { what: 'the new code to serve' });

    await ok(['rollback', 'v2', '-a', 'rr']);
    await waitReleased('rr', 4);
    await waitFor(async () => /Hello from/.test((await get('rr')).body), { what: 'the rolled-back code to serve' });

    await ok(['ps:scale', 'web=1', '-a', 'rr']);
    await waitFor(async () => (await dynos('rr')).length === 1, { timeoutMs: 60_000, what: 'scale-down to 1 dyno' });

    const { statuses, errors } = await loop.stop();
    assert.deepEqual(errors, []);
    assert.ok(statuses.length > 100, `only ${statuses.length} requests`);
    assert.deepEqual([...new Set(statuses)], [200], `non-200 statuses: ${JSON.stringify(statuses.filter((s) => s !== 200))}`);
  });

  it('shows app and router lines in logs --tail', async (t) => {
    const child = spawn(process.execPath, [...TSX_ARGS, SERVER_ENTRY, 'logs', '--tail', '-a', 'rr'], {
      env: p.clientEnv(), stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => void child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    // A restart makes the app print its start-up line while the tail is open.
    await ok(['ps:restart', '-a', 'rr']);
    await waitFor(async () => {
      await get('rr', '/from-the-test');
      return /app\[web\.1\]: node-hello listening/.test(out) && /heroku\[router\]: at=info method=GET path="\/from-the-test" host=rr\.localhost .*dyno=web\.1 .*status=200/.test(out);
    }, { timeoutMs: 30_000, intervalMs: 300, what: 'app and router lines in logs --tail' }).catch((e: Error) => {
      throw new Error(`${e.message}; the tail printed:\n${out.slice(-3000)}`);
    });
  });

  it('echoes WebSocket messages through the router', async () => {
    assert.equal((await p.api('POST', '/apps', { name: 'ws-echo' })).status, 201);
    const ws = await appWorkTree(p, 'ws-echo');
    await ws.commit('ws', {
      'server.js': readFileSync(new URL('../fixtures/ws-echo/server.js', import.meta.url), 'utf8'),
      Procfile: 'web: node server.js\n',
    });
    const push = await ws.push();
    assert.equal(push.code, 0, push.output);
    await waitReleased('ws-echo', 2);
    const socket = new WebSocket(`ws://${new URL(p.routerUrl as string).host}/`, { headers: { Host: 'ws-echo.localhost' } });
    const reply = await new Promise<string>((resolve, reject) => {
      socket.on('open', () => socket.send('ping through the router'));
      socket.on('message', (m) => resolve(m.toString()));
      socket.on('error', reject);
    });
    socket.close();
    assert.equal(reply, 'web.1 echo: ping through the router');
  });

  it('runs a worker of an app without a web process', async () => {
    assert.equal((await p.api('POST', '/apps', { name: 'only-worker' })).status, 201);
    const w = await appWorkTree(p, 'only-worker');
    await w.commit('worker', {
      'worker.js': 'let n = 0; setInterval(() => console.log(`tick ${++n} from ${process.env.DYNO}`), 200);\n',
      Procfile: 'worker: node worker.js\n',
    });
    const push = await w.push();
    assert.equal(push.code, 0, push.output);
    await ok(['ps:scale', 'worker=1', '-a', 'only-worker']);
    await waitFor(async () => /app\[worker\.1\]: tick \d+ from worker\.1/.test(await ok(['logs', '-a', 'only-worker'])), {
      timeoutMs: 60_000, intervalMs: 500, what: 'worker output in the logs',
    });
    const r = await get('only-worker');
    assert.equal(r.status, 503);
    assert.match(r.body, /H14|No web processes running/);
  });
});
