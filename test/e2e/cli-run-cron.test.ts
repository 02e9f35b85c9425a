/**
 * The cupaas CLI's one-off dynos and scheduled jobs against a real server:
 * `run` (piped and in a terminal, exit status, --env, --detached), `ps:stop`,
 * `cron:add`/`cron`/`cron:remove`, a job that runs in a `scheduler.N` dyno,
 * and `.cupaas` `cron:` entries.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { SERVER_ENTRY, startPlatform, TSX_ARGS, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';

const APP = 'clirun';
let p: TestPlatform;
before(async () => {
  p = await startPlatform();
  assert.equal((await p.api('POST', '/apps', { name: APP })).status, 201);
  writeNetrc(p);
  const tree = await appWorkTree(p, APP);
  await tree.commit('app', {
    Procfile: 'web: python3 -m http.server $PORT\n',
    '.cupaas': 'cron:\n  - schedule: "0 3 * * *"\n    command: python3 nightly.py\n',
  });
  const push = await tree.push();
  assert.equal(push.code, 0, push.output);
});
after(() => p?.cleanup());

const logText = async () => {
  const s = await p.api('POST', `/apps/${APP}/log-sessions`, { lines: 1500 });
  return (await fetch(s.body.logplex_url)).text();
};

/** Runs the CLI on a pseudo-terminal (python3's pty module), typing `input`. */
function cliOnTerminal(args: readonly string[], input: string): Promise<{ code: number | null; output: string }> {
  const script = 'import pty, sys\nsys.exit(pty.spawn(sys.argv[1:]) >> 8)';
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script, process.execPath, ...TSX_ARGS, SERVER_ENTRY, ...args], {
      env: { ...p.clientEnv(), TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(input);
  });
}

describe('cupaas run', () => {
  it('prints the output of a command, passes stdin and --env, and exits with its status', async () => {
    const hi = await p.cli(['run', '-a', APP, '--', 'echo', 'hi from $DYNO']);
    assert.equal(hi.code, 0, hi.stderr);
    assert.match(hi.stdout, /^hi from run\.\d+$/m);
    const piped = await p.cli(['run', '-a', APP, '--env', 'GREETING=hola', '--', 'read x; echo "$GREETING $x"'], { input: 'mundo\n' });
    assert.equal(piped.code, 0, piped.stderr);
    assert.match(piped.stdout, /^hola mundo$/m);
    const failed = await p.cli(['run', '-a', APP, '--', 'exit 3']);
    assert.equal(failed.code, 3, failed.stderr);
  });

  it('gives an interactive console on a terminal', async () => {
    const r = await cliOnTerminal(['run', '-a', APP, '--', 'bash'], 'echo "answer=$((6*7))"\nexit 5\n');
    assert.match(r.output, /answer=42/);
    assert.equal(r.code, 5, r.output);
  });

  it('runs detached into the logs, and ps:stop ends a one-off dyno', async () => {
    const d = await p.cli(['run', '--detached', '-a', APP, '--', 'echo detached-$DYNO; sleep 300']);
    assert.equal(d.code, 0, d.stderr);
    const name = /run\.\d+/.exec(d.stdout)?.[0];
    assert.ok(name, d.stdout);
    await waitFor(async () => ((await logText()).includes(`app[${name}]: detached-${name}`) || undefined), { timeoutMs: 60_000, what: 'detached output' });
    const stop = await p.cli(['ps:stop', name, '-a', APP]);
    assert.equal(stop.code, 0, stop.stderr);
    await waitFor(async () => ((await logText()).includes(`heroku[${name}]: State changed from up to complete`) || undefined), {
      timeoutMs: 60_000, what: `${name} stopped`,
    });
  });
});

describe('cupaas cron', () => {
  it('lists .cupaas entries, adds and removes jobs, and refuses a bad schedule', async () => {
    const listed = await p.cli(['cron', '-a', APP]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /0 3 \* \* \*\s+python3 nightly\.py\s+standard-1x\s+\.cupaas/);
    const bad = await p.cli(['cron:add', '61 * * * *', '-a', APP, '--', 'true']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Invalid cron schedule "61 \* \* \* \*".*five fields/);
    const added = await p.cli(['cron:add', '*/5 * * * *', '-a', APP, '--json', '--', 'echo', 'five']);
    assert.equal(added.code, 0, added.stderr);
    const job = JSON.parse(added.stdout) as { id: string; command: string };
    assert.equal(job.command, 'echo five');
    const removed = await p.cli(['cron:remove', job.id.slice(0, 8), '-a', APP]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.doesNotMatch((await p.cli(['cron', '-a', APP])).stdout, /echo five/);
  });

  it('runs a due job in a scheduler dyno with the current config, logged', async () => {
    await p.api('PATCH', `/apps/${APP}/config-vars`, { JOB_WORD: 'tick' });
    const added = await p.cli(['cron:add', '* * * * *', '-a', APP, '--', 'echo "$JOB_WORD from $DYNO"']);
    assert.equal(added.code, 0, added.stderr);
    const line = await waitFor(async () => /app\[scheduler\.\d+\]: tick from scheduler\.\d+/.exec(await logText())?.[0], {
      timeoutMs: 150_000, intervalMs: 2000, what: 'a scheduled run',
    });
    assert.ok(line);
    const logs = await logText();
    assert.match(logs, /heroku\[scheduler\]: Running job/);
    const [job] = (await p.api('GET', `/apps/${APP}/cron-jobs`)).body.filter((j: { command: string }) => j.command.includes('JOB_WORD'));
    assert.ok(job.last_run_at, 'the run is recorded');
  });
});
