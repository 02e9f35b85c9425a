/**
 * One-off dynos over real HTTP and the rendezvous endpoint: detached runs
 * log their output and end without being restarted, attached runs relay
 * stdin, output and the exit status over TLS signed by the platform CA,
 * `time_to_live` and `ps:stop` end them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';

const APP = 'oneoff';
const FILES = {
  Procfile: 'web: python3 -m http.server $PORT\n',
  'greet.sh': 'echo "hello $1 from $DYNO"\n',
};

let p: TestPlatform;
before(async () => {
  p = await startPlatform();
  assert.equal((await p.api('POST', '/apps', { name: APP })).status, 201);
  writeNetrc(p);
  const tree = await appWorkTree(p, APP);
  await tree.commit('app', FILES);
  const pushed = await tree.push();
  assert.equal(pushed.code, 0, pushed.output);
});
after(() => p?.cleanup());

const logText = async () => {
  const s = await p.api('POST', `/apps/${APP}/log-sessions`, { lines: 1500 });
  const res = await fetch(s.body.logplex_url);
  return res.text();
};
const waitForLog = (re: RegExp, what: string) =>
  waitFor(async () => (re.test(await logText()) ? true : undefined), { timeoutMs: 60_000, what });

/** Attaches like the Heroku CLI: TLS trusting only the platform CA, the secret line, then raw bytes. */
function attach(attachUrl: string, input: string, endInput = false): Promise<{ first: string; rest: string }> {
  const url = new URL(attachUrl.replace(/^rendezvous:/, 'https:'));
  const ca = readFileSync(join(p.home, 'tls', 'ca.pem'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const c = connect({ host: url.hostname, port: Number(url.port), servername: url.hostname === '127.0.0.1' ? undefined : url.hostname, ca }, () => {
      c.write(url.pathname.slice(1) + '\r\n');
      c.write(input);
      if (endInput) c.end();
    });
    c.on('data', (d: Buffer) => chunks.push(d));
    c.on('error', reject);
    c.on('close', () => {
      const all = Buffer.concat(chunks).toString();
      const nl = all.indexOf('\r\n');
      resolve({ first: all.slice(0, nl), rest: all.slice(nl + 2) });
    });
  });
}

describe('one-off dynos', () => {
  it('runs a detached dyno run.N from the current release; its output and exit land in the logs and it is not restarted', async () => {
    const r = await p.api('POST', `/apps/${APP}/dynos`, { command: 'bash greet.sh "$WHO"', env: { WHO: 'detached' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.match(r.body.name, /^run\.\d+$/);
    assert.equal(r.body.attach_url, null);
    assert.equal(r.body.type, 'run');
    await waitForLog(new RegExp(`app\\[${r.body.name.replace('.', '\\.')}\\]: hello detached from ${r.body.name}`), 'detached output');
    await waitForLog(new RegExp(`heroku\\[${r.body.name.replace('.', '\\.')}\\]: State changed from up to complete`), 'completion');
    const ps = (await p.api('GET', `/apps/${APP}/dynos`)).body as Array<{ name: string; type: string }>;
    assert.deepEqual(ps.filter((d) => d.type === 'run'), [], 'a finished one-off dyno is gone, not restarted');
    assert.ok(!/crashed/.test(await logText()));
  });

  it('relays stdin, output and the exit status through the rendezvous endpoint', async () => {
    const r = await p.api('POST', `/apps/${APP}/dynos`, {
      command: 'read line; echo "got:$line"; exit 3; echo "\uFFFF heroku-command-exit-status: $?"', attach: true, force_no_tty: true,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.match(r.body.attach_url, /^rendezvous:\/\/[^/]+:\d+\/\S+$/);
    const out = await attach(r.body.attach_url, 'typed\n\x04');
    assert.equal(out.first, 'rendezvous');
    assert.match(out.rest, /got:typed\n/);
    assert.match(out.rest, /\uFFFF heroku-command-exit-status: 3\n$/);
    const again = await attach(r.body.attach_url, '');
    assert.match(again.first, /unknown or was used/);
  });

  it('keeps relaying output after a client ends its input (half-close)', async () => {
    const r = await p.api('POST', `/apps/${APP}/dynos`, {
      command: 'cat; echo done; echo "\uFFFF heroku-command-exit-status: $?"', attach: true, force_no_tty: true,
    });
    const out = await attach(r.body.attach_url, 'line one\nline two\n', true);
    assert.match(out.rest, /^line one\nline two\ndone\n\uFFFF heroku-command-exit-status: 0\n$/);
  });

  it('gives an attached dyno a terminal unless force_no_tty', async () => {
    const r = await p.api('POST', `/apps/${APP}/dynos`, { command: 'test -t 1 && echo on-a-tty', attach: true, env: { COLUMNS: 90, LINES: 20 } });
    const out = await attach(r.body.attach_url, '');
    assert.match(out.rest, /on-a-tty\r\n/);
  });

  it('stops a dyno at its time_to_live and on ps:stop', async () => {
    const ttl = await p.api('POST', `/apps/${APP}/dynos`, { command: 'sleep 300', time_to_live: 1 });
    assert.equal(ttl.status, 201);
    await waitForLog(/time to live of 1 seconds reached/, 'ttl stop');
    const long = await p.api('POST', `/apps/${APP}/dynos`, { command: 'sleep 300' });
    const name = long.body.name as string;
    await waitFor(async () => ((await p.api('GET', `/apps/${APP}/dynos`)).body as Array<{ name: string }>).some((d) => d.name === name) || undefined, { what: `${name} listed` });
    assert.equal((await p.api('POST', `/apps/${APP}/dynos/${name}/actions/stop`)).status, 202);
    await waitFor(async () => !((await p.api('GET', `/apps/${APP}/dynos`)).body as Array<{ name: string }>).some((d) => d.name === name) || undefined, {
      timeoutMs: 60_000, what: `${name} gone`,
    });
  });

  it('refuses bad requests with 4xx and changes nothing', async () => {
    assert.equal((await p.api('POST', `/apps/${APP}/dynos`, { command: '' })).status, 422);
    assert.equal((await p.api('POST', `/apps/${APP}/dynos`, { command: 'true', size: 'huge' })).status, 422);
    assert.equal((await p.api('POST', `/apps/${APP}/dynos`, { command: 'true', type: 'Bad Type' })).status, 422);
    assert.equal((await p.api('POST', '/apps', { name: 'empty-app' })).status, 201);
    const none = await p.api('POST', '/apps/empty-app/dynos', { command: 'true' });
    assert.equal(none.status, 409);
    assert.ok(none.body.message.includes('deploy'));
  });

  it('destroying the app stops its one-off dynos', async () => {
    const marker = `oneoff-marker-${process.pid}-${Date.now()}`;
    const r = await p.api('POST', `/apps/${APP}/dynos`, { command: `exec -a ${marker} sleep 300` });
    assert.equal(r.status, 201);
    await waitFor(() => processesNamed(marker) > 0 || undefined, { timeoutMs: 30_000, what: 'the one-off process' });
    assert.equal((await p.api('DELETE', `/apps/${APP}`)).status, 200);
    await waitFor(() => processesNamed(marker) === 0 || undefined, { timeoutMs: 60_000, what: 'the one-off process to end' });
  });
});

/** How many processes on this machine have `name` in their command line. */
function processesNamed(name: string): number {
  return readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name);
    } catch {
      return false;
    }
  }).length;
}
