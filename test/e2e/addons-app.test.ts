/**
 * The example app `examples/node-postgres` (declares `services: [postgres]`)
 * reads and writes its database through DATABASE_URL, and keeps its data across
 * a redeploy, a dyno restart, a rollback and a platform restart (kill -9).
 * Needs the whole pipeline (push, build, dynos, router); skips with the reason
 * when a part is not wired yet.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc, type AppWorkTree } from '../support/push.js';

const APP = 'notes-pg';
let p: TestPlatform;
let missing: string | null = null;
before(async () => {
  p = await startPlatform();
  writeNetrc(p);
  assert.equal((await p.api('POST', '/apps', { name: APP })).status, 201);
  if (!p.routerUrl) missing = 'the router is not wired (no routerUrl in server.json)';
  for (const path of [`/apps/${APP}/builds`, `/apps/${APP}/dynos`]) {
    const r = await p.api('GET', path);
    if (r.status === 404 && /endpoint/.test(String(r.body?.message))) missing ??= `GET ${path} is not available yet`;
  }
});
after(async () => p.cleanup());

/** A request to the app through the router. */
const call = (method: string, path: string, body?: string): Promise<{ status: number; text: string }> =>
  new Promise((resolve, reject) => {
    const req = request(`${p.routerUrl}${path}`, { method, headers: { Host: `${APP}.localhost` } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });

let last = '';
const notes = async (): Promise<string[]> =>
  waitFor(async () => {
    const r = await call('GET', '/notes');
    last = `${r.status} ${r.text}`;
    return r.status === 200 ? (JSON.parse(r.text) as { body: string }[]).map((n) => n.body) : false;
  }, { timeoutMs: 90_000, what: `${APP} to serve /notes` }).catch((e: Error) => {
    throw new Error(`${e.message}; last answer: ${last}`);
  });

const push = async (tree: AppWorkTree) => {
  const r = await tree.push();
  assert.equal(r.code, 0, r.output);
  return r.output;
};

it('keeps the example app\'s Postgres data across redeploy, restart, rollback and platform restart', async (t) => {
  if (missing) return t.skip(`needs the build pipeline, dynos and router: ${missing}`);
  const tree = await appWorkTree(p, APP, 'node-postgres');
  await tree.commit('first');
  const first = await push(tree);
  assert.match(first, /postgres/i, 'the build output shows the declared service being provisioned');
  const url = new URL((await p.api('GET', `/apps/${APP}/config-vars`)).body.DATABASE_URL as string);
  assert.equal(url.protocol, 'postgres:');
  const deployed = ((await p.api('GET', `/apps/${APP}/releases`)).body as { version: number; current: boolean }[]).find((r) => r.current)!;
  assert.deepEqual(await notes(), []);
  // Dynos in their own network namespace reach the add-on servers on the services address, others on 127.0.0.1.
  const dynos = (await p.api('GET', `/apps/${APP}/dynos`)).body as { isolation: string }[];
  assert.equal(url.hostname, dynos[0]?.isolation.includes('netns') ? '172.31.255.254' : '127.0.0.1', JSON.stringify(dynos));
  assert.equal((await call('POST', '/notes', 'kept')).status, 201);

  await tree.commit('second', { 'README.md': 'redeploy\n' });
  await push(tree);
  assert.deepEqual(await notes(), ['kept']);

  assert.ok([200, 202].includes((await p.api('DELETE', `/apps/${APP}/dynos`)).status));
  assert.deepEqual(await notes(), ['kept']);

  assert.equal((await p.api('POST', `/apps/${APP}/releases`, { release: String(deployed.version) })).status, 201);
  assert.deepEqual(await notes(), ['kept']);

  await p.kill9();
  p = await p.restart();
  assert.deepEqual(await notes(), ['kept']);
});
