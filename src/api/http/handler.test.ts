import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as z from 'zod';
import type { User } from '../../domain/index.js';
import { PlatformError } from '../../shared/errors.js';
import { createLogger } from '../../shared/logger.js';
import { waitFor } from '../../shared/wait.js';
import { createApiHandler } from './handler.js';
import { paginate } from './range.js';
import { createRateLimiter } from './rate-limit.js';
import type { Route } from './types.js';

const user = { id: 'u1', email: 'a@example.com' } as User;
const lines: string[] = [];
let changes = 0;
const routes: Route[] = [
  { method: 'GET', path: '/apps/:app', access: 'public', handler: async (req) => ({ body: { name: req.params.app } }) },
  { method: 'GET', path: '/items', access: 'public', handler: async (req) => paginate([{ id: 'a' }], req.headers.range, { id: (x) => x.id }, 'id', (x) => x) },
  {
    method: 'POST',
    path: '/things',
    access: 'user',
    handler: async (req) => {
      await req.body(z.object({}));
      changes++;
      return { status: 201, body: {} };
    },
  },
];
let server: Server;
let port = 0;
before(async () => {
  const handler = createApiHandler({
    routes,
    authenticate: async (req) => {
      if (req.headers.authorization !== 'Bearer key') throw new PlatformError('unauthorized', 'Invalid credentials provided.');
      return { user, authorizationId: null };
    },
    authorize: () => ({}),
    audit: () => {},
    rateLimiter: createRateLimiter(),
    logger: createLogger({ level: 'debug', write: (l) => lines.push(l) }),
  });
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const get = (path: string, headers: Record<string, string> = {}) =>
  new Promise<number>((resolve, reject) => {
    request({ port, host: '127.0.0.1', path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });

describe('API handler', () => {
  it('answers malformed escapes in paths and Range with 4xx, logging each kind once and no stack', async () => {
    lines.length = 0;
    for (let i = 0; i < 5; i++) assert.equal(await get('/apps/%ZZ'), 400);
    for (let i = 0; i < 5; i++) assert.equal(await get('/items', { Range: 'id %ZZ..' }), 416);
    assert.equal(lines.filter((l) => l.includes('kind=bad_request')).length, 1, lines.join('\n'));
    assert.equal(lines.filter((l) => l.includes('kind=requested_range_not_satisfiable')).length, 1, lines.join('\n'));
    assert.ok(!lines.some((l) => /ERROR|\n\s+at /.test(l)), lines.join('\n'));
  });

  it('refuses state-changing requests a browser form could send (no Heroku Accept, no JSON type)', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}/things`, { method: 'POST', body: '{}', headers: { Authorization: 'Bearer key', ...headers } });
    const before = changes;
    const forged = await post({ 'Content-Type': 'text/plain', Origin: 'http://evil.example' });
    assert.equal(forged.status, 400);
    assert.match(((await forged.json()) as { message: string }).message, /Accept: application\/vnd\.heroku\+json/);
    assert.equal((await post({ 'Content-Type': 'application/x-www-form-urlencoded' })).status, 400);
    assert.equal(changes, before);
    assert.equal((await post({ 'Content-Type': 'application/json' })).status, 201);
    assert.equal((await post({ Accept: 'application/vnd.heroku+json; version=3' })).status, 201);
    assert.equal(changes, before + 2);
  });

  it('treats an upload that disconnects mid-body as the client\'s error, not a 500', async () => {
    lines.length = 0;
    const req = request({
      port, host: '127.0.0.1', path: '/things', method: 'POST',
      headers: { Authorization: 'Bearer key', 'Content-Type': 'application/json', 'Content-Length': '100000' },
    });
    req.on('error', () => {});
    req.write('{"a":', () => req.destroy());
    await waitFor(() => lines.some((l) => l.includes('kind=aborted')), { what: 'the aborted upload to be logged' });
    assert.ok(!lines.some((l) => l.includes('ERROR')), lines.join('\n'));
  });
});
