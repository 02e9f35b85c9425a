/**
 * Fuzz test of the whole API (issue 10): thousands of generated bad requests
 * (fast-check) over every route of the route table, with and without auth,
 * against a real server. No answer may be a 5xx, and a batch whose
 * state-changing requests were all refused (4xx) must leave the API's view
 * of the state exactly as it was.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { allRoutes } from '../../src/api/routes/index.js';
import type { ApiContext } from '../../src/api/index.js';
import { gitRoutes } from '../../src/git/routes.js';
import { startHttpReceiver, type HttpReceiver } from '../support/log-receivers.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';

/** Fixed, so a failure replays; `FUZZ_SEED` explores another corner. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const BATCHES = Number(process.env.FUZZ_BATCHES ?? 100);
const BATCH_SIZE = 25;

// Only method and path of each route are read: the context is never touched while building the table.
const ROUTES = [...allRoutes({} as ApiContext), ...gitRoutes({} as Parameters<typeof gitRoutes>[0])].map((r) => ({ method: r.method, path: r.path }));

let p: TestPlatform;
let collector: HttpReceiver;
let ids: Record<string, string> = {};
before(async () => {
  [p, collector] = await Promise.all([startPlatform(), startHttpReceiver()]);
  const app = await p.api('POST', '/apps', { name: 'fz-app' });
  assert.equal(app.status, 201);
  await p.api('PATCH', '/apps/fz-app/config-vars', { FOO: 'bar' });
  const domain = await p.api('POST', '/apps/fz-app/domains', { hostname: 'www.fz.example' });
  const drain = await p.api('POST', '/apps/fz-app/log-drains', { url: `http://127.0.0.1:${collector.port}/fz` });
  assert.equal(drain.status, 201, JSON.stringify(drain.body));
  ids = { app: app.body.id, domain: domain.body.id, drain: drain.body.id, release: '1', type: 'web', dyno: 'web.1' };
});
after(async () => {
  await p.cleanup();
  await collector.stop();
});

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const NASTY = ['..', '.', '%2e%2e', '%2E.', '%2e', '%ZZ', '%', '%E0%A4%A', '%00', '%2F', '%2f..%2f', '', '__proto__', 'constructor', '%20', '~', '*', 'a'.repeat(5000)];

/** A path parameter: an existing name or id, a hostile spelling, or random text sent raw or encoded. */
const param = (key: string) =>
  fc.oneof(
    { arbitrary: fc.constant(key === 'app' ? 'fz-app' : (ids[key] ?? 'fz-app')), weight: 6 },
    { arbitrary: fc.constant(ids[key] ?? 'fz-app'), weight: 2 },
    { arbitrary: fc.constantFrom(...NASTY), weight: 3 },
    { arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map((s) => encodeURIComponent(s).replace(/%2F/g, '/')), weight: 1 },
    { arbitrary: fc.uuid(), weight: 1 },
  );

const path = fc.constantFrom(...ROUTES).chain((r) => {
  const segs = r.path.split('/').map((s) => {
    const m = /^:([A-Za-z_]+)(.*)$/.exec(s);
    return m ? param(m[1] as string).map((v) => v + (m[2] ?? '')) : fc.constant(s);
  });
  const suffix = fc.constantFrom('', '', '', '/', '/..', '/.', '//', '?x=%ZZ', '?token=', '#frag', '/%2e%2e');
  return fc.tuple(fc.tuple(...segs), suffix).map(([parts, sfx]) => ({ route: r, path: parts.join('/') + sfx }));
});

const header = (values: readonly (string | undefined)[]) => fc.constantFrom(...values);
const headers = fc.record({
  Authorization: header([undefined, 'KEY', 'KEY', 'Bearer ', 'Bearer garbage', 'Basic Og==', 'Basic %%%', 'Basic ' + Buffer.from(':wrong').toString('base64'), 'Digest x']),
  Accept: header([undefined, 'application/vnd.heroku+json; version=3', 'application/vnd.heroku+json; version=2', 'text/html', '*/*']),
  'Content-Type': header([undefined, 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16']),
  Range: header([undefined, 'id ..', 'name %ZZ..', 'id ]..; max=0', 'garbage', 'created_at ..; order=sideways', 'id ..; max=99999']),
  'X-Http-Method-Override': header([undefined, undefined, undefined, 'DELETE', 'PATCH', 'BREW']),
  Origin: header([undefined, 'http://evil.example']),
});

const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"__proto__":{"x":1}}', '{"name":"\u0000"}', '[]', 'null', '{"url":"http://169.254.169.254/"}', '{"quantity":-1}', '{"updates":[{"type":"web","quantity":-1}]}', '{"hostname":"127.0.0.1"}', '{"plan":"mongodb:dev:junk"}', '{"deploy_branch":"a.lock"}', '{"url":"file:///etc"}', '{"url":"https://%ZZ@logs.example.com/"}', '[' .repeat(5000)),
);

const fuzzRequest = fc
  .tuple(path, fc.constantFrom('route', 'route', 'route', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'), headers, body)
  .map(([{ route, path }, m, h, b]): FuzzRequest => {
    const hs: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) if (v !== undefined) hs[k] = v;
    return { method: m === 'route' ? route.method : m, path: '/' + path.replace(/^\/+/, ''), headers: hs, body: b };
  });

function send(r: FuzzRequest): Promise<{ status: number; body: string }> {
  const headers = { ...r.headers };
  if (headers.Authorization === 'KEY') headers.Authorization = `Bearer ${p.apiKey}`;
  const body = r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body;
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    // A fresh connection each: a server that answers before reading a body may close the connection, as it should.
    const req = request(p.apiUrl, { method: r.method, path: r.path, headers, timeout: 30_000, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within 30 s to ${r.method} ${r.path}`)));
    req.on('error', (e) => reject(new Error(`${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(r.headers)} ${JSON.stringify(r.body)?.slice(0, 100)}: ${e.message}`)));
    req.end(body);
  });
}

/** Everything the API shows about the platform's state, in one comparable string. */
async function snapshot(): Promise<string> {
  const paths = ['/apps', '/apps/fz-app', '/apps/fz-app/config-vars', '/apps/fz-app/domains', '/apps/fz-app/log-drains', '/apps/fz-app/releases',
    '/apps/fz-app/formation', '/apps/fz-app/addons', '/apps/fz-app/builds', '/apps/fz-app/repo', '/addon-attachments'];
  const parts = await Promise.all(paths.map(async (path) => {
    const r = await p.api('GET', path);
    return `${path} ${r.status} ${JSON.stringify(r.body)}`;
  }));
  return parts.join('\n');
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('API fuzz', () => {
  it('answers thousands of bad requests without a 5xx, and refused ones change nothing', async () => {
    const started = Date.now();
    let sent = 0;
    let compared = 0;
    let rebaselined = 0;
    const statuses = new Map<number, number>();
    let baseline = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.array(fuzzRequest, { minLength: BATCH_SIZE, maxLength: BATCH_SIZE }), async (batch) => {
        let changedOnPurpose = false;
        for (const r of batch) {
          const res = await send(r);
          sent++;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          assert.ok(res.status < 500, `${r.method} ${r.path} ${JSON.stringify(r.headers)} ${JSON.stringify(r.body)?.slice(0, 200)} → ${res.status} ${res.body.slice(0, 300)}`);
          const method = (r.headers['X-Http-Method-Override'] ?? r.method).toUpperCase();
          if ((MUTATING.has(method) || MUTATING.has(r.method)) && res.status < 400) changedOnPurpose = true;
        }
        const now = await snapshot();
        if (changedOnPurpose) {
          rebaselined++;
        } else {
          compared++;
          assert.equal(now, baseline, `state changed although every state-changing request was refused:\n${batch.map((r) => `${r.method} ${r.path}`).join('\n')}`);
        }
        baseline = now;
      }),
      { seed: SEED, numRuns: BATCHES, endOnFailure: true, includeErrorInReport: true },
    );
    const summary = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    console.log(`fuzz: seed ${SEED}, ${sent} requests in ${Math.round((Date.now() - started) / 1000)} s; ${compared} batches compared, ${rebaselined} re-baselined; ${summary}`);
    assert.ok(sent >= 2000);
    assert.ok(compared >= BATCHES / 2, `only ${compared} of ${BATCHES} batches were all-refused`);
    assert.ok(!/\n\s+at /.test(p.output()), 'the server logged a stack trace');
  });
});
