/**
 * The README's first command ends in `cupaas up`: it starts the platform in
 * the background, deploys the bundled example and prints its URL; run again,
 * it changes nothing. Slow: a real build with npm.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../support/cli.js';

const home = mkdtempSync(join(tmpdir(), 'cupaas-up-'));
const env = { ...process.env, CUPAAS_HOME: home, CUPAAS_API_PORT: '0', CUPAAS_ROUTER_PORT: '0', HOME: home, NO_COLOR: '1' };
const up = () => runCli(['up'], { cwd: home, env });

after(async () => {
  await runCli(['down'], { cwd: home, env });
  // If `down` itself failed, do not leave a server behind: kill it by its recorded pid.
  try {
    const { pid } = JSON.parse(readFileSync(join(home, 'server.json'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
  } catch {
    // No server.json, or the server is already gone.
  }
  rmSync(home, { recursive: true, force: true });
});

function getVia(routerUrl: string, webUrl: string): Promise<{ status: number; body: string }> {
  const router = new URL(routerUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: router.hostname, port: router.port, headers: { Host: new URL(webUrl).host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('cupaas up deploys the example once and prints its URL; a second run is idempotent', async () => {
  const first = await up();
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /Started cupaas \(pid \d+\)/);
  assert.match(first.stdout, /-----> Released v2/);
  assert.match(first.stdout, /Dashboard: http:\/\/\S+\/ /, 'cupaas up prints the dashboard link');
  const url = /node-hello is live at (http:\/\/node-hello\.localhost:\d+\/)/.exec(first.stdout)?.[1];
  assert.ok(url, first.stdout);

  const server = JSON.parse(readFileSync(join(home, 'server.json'), 'utf8')) as { pid: number; routerUrl: string };
  const r = await getVia(server.routerUrl, url);
  assert.equal(r.status, 200);
  assert.match(r.body, /Hello from node-hello! dyno=web\.1/);

  const second = await up();
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.match(second.stdout, new RegExp(`cupaas is running \\(pid ${server.pid}\\)`));
  assert.match(second.stdout, /node-hello is up to date/);
  assert.doesNotMatch(second.stdout, /Released v/);
  assert.ok(second.stdout.includes(`node-hello is live at ${url}`));

  const down = await runCli(['down'], { cwd: home, env });
  assert.equal(down.code, 0);
  assert.match(down.stdout, new RegExp(`Stopped the cupaas server \\(pid ${server.pid}\\)`));
});
