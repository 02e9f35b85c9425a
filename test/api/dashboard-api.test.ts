/**
 * What the dashboard relies on, over real HTTP: session login (cookie flags,
 * CSRF required with the cookie, password logins make a token revoked at
 * logout), the caller's permissions, metrics (JSON in the shared schema, and
 * Prometheus for platform admins only), autoscaling policies and their
 * validation, and the static dashboard itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as apiSchema from '../../src/domain/api-schema.js';
import { waitFor } from '../../src/shared/wait.js';
import { getApp } from '../support/app-request.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { seedFixtureRelease } from '../support/runtime-fixtures.js';
import { addUser, type TestUser } from '../support/users.js';

const JSON_HEADERS = { Accept: 'application/vnd.heroku+json; version=3', 'Content-Type': 'application/json' };

describe('dashboard API', () => {
  let p: TestPlatform;
  let viewer: TestUser;
  const app = 'dash-api';
  before(async () => {
    p = await startPlatform({ env: { CUPAAS_BOOT_TIMEOUT: '20' } });
    assert.equal((await p.api('POST', '/apps', { name: app })).status, 201);
    await seedFixtureRelease(p.home, app);
    viewer = await addUser(p, 'viewer@example.com');
    assert.equal((await p.api('POST', `/apps/${app}/collaborators`, { user: viewer.email, role: 'viewer' })).status, 201);
  });
  after(() => p.cleanup());

  /** Logs in; returns the cookie pair and the CSRF token. */
  const login = async (body: unknown) => {
    const res = await fetch(`${p.apiUrl}/session`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, any>;
    return { status: res.status, setCookie: res.headers.get('set-cookie') ?? '', json };
  };
  const withSession = (cookie: string, csrf: string | null, path: string, method = 'GET') =>
    fetch(p.apiUrl + path, {
      method,
      headers: { Accept: JSON_HEADERS.Accept, Cookie: cookie, ...(csrf === null ? {} : { 'X-CSRF-Token': csrf }) },
    });

  test('an API key login sets an HttpOnly SameSite=Strict cookie; the API wants the CSRF token with it', async () => {
    const r = await login({ api_key: p.apiKey });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    apiSchema.SessionInfo.parse(r.json);
    assert.match(r.setCookie, /^cupaas_session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const cookie = r.setCookie.split(';')[0] as string;
    assert.equal((await withSession(cookie, null, '/apps')).status, 403, 'cookie without CSRF token');
    assert.equal((await withSession(cookie, 'x'.repeat(43), '/apps')).status, 403, 'wrong CSRF token');
    assert.equal((await withSession(cookie, r.json.csrf_token, '/apps')).status, 200);
    const resumed = await withSession(cookie, null, '/session');
    assert.equal(resumed.status, 200, 'GET /session gives the token back after a reload');
    assert.equal(((await resumed.json()) as { csrf_token: string }).csrf_token, r.json.csrf_token);
    assert.equal((await withSession('cupaas_session=forged', 'x', '/apps')).status, 401);
  });

  test('a login must be JSON and valid; bad credentials change nothing', async () => {
    const form = await fetch(`${p.apiUrl}/session`, {
      method: 'POST', headers: { Accept: JSON_HEADERS.Accept, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'api_key=x',
    });
    assert.equal(form.status, 400, 'a cross-site form post is refused');
    assert.equal((await login({ api_key: 'nope' })).status, 401);
    assert.equal((await login({ email: viewer.email, password: 'wrong' })).status, 401);
    assert.equal((await login({ api_key: p.apiKey, extra: 1 })).status, 422);
  });

  test('an email and password login makes a session token, revoked at logout', async () => {
    const r = await login({ email: viewer.email, password: viewer.password });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const cookie = r.setCookie.split(';')[0] as string;
    const tokens = async () => ((await viewer.api('GET', '/oauth/authorizations')).body as Array<{ description: string }>).map((a) => a.description);
    assert.ok((await tokens()).includes('cupaas dashboard session'));
    assert.equal((await withSession(cookie, r.json.csrf_token, '/session', 'DELETE')).status, 204);
    assert.ok(!(await tokens()).includes('cupaas dashboard session'), 'the session token is revoked');
    assert.equal((await withSession(cookie, r.json.csrf_token, '/apps')).status, 401);
  });

  test('permissions tell the dashboard what to show; the API enforces the same', async () => {
    const mine = await p.api('GET', `/apps/${app}/permissions`);
    assert.deepEqual(apiSchema.AppPermissionsInfo.parse(mine.body), { role: 'admin', can: { read: true, deploy: true, manage: true, destroy: true } });
    const theirs = await viewer.api('GET', `/apps/${app}/permissions`);
    assert.deepEqual(theirs.body, { role: 'viewer', can: { read: true, deploy: false, manage: false, destroy: false } });
    assert.equal((await viewer.api('PATCH', `/apps/${app}/formation/web`, { quantity: 2 })).status, 403);
    assert.equal((await viewer.api('PUT', `/apps/${app}/formation/web/autoscaling`, { enabled: true, min_quantity: 1, max_quantity: 2, p95_target_ms: 100 })).status, 403);
  });

  test('metrics: router requests per minute in the shared schema; Prometheus for platform admins', async () => {
    const web = await waitFor(async () => {
      const dynos = (await p.api('GET', `/apps/${app}/dynos`)).body as Array<{ state: string }>;
      return dynos.some((d) => d.state === 'up') || undefined;
    }, { timeoutMs: 60_000, what: 'web dyno up' });
    assert.ok(web);
    const get = () => getApp(p.routerUrl as string, app).then((r) => r.status);
    // Up comes before the router has the dyno: wait for the first 200, then count five more.
    await waitFor(async () => ((await get()) === 200 ? true : undefined), { timeoutMs: 30_000, what: 'the app to answer' });
    for (let i = 0; i < 5; i++) assert.equal(await get(), 200);
    const m = await waitFor(async () => {
      const r = await p.api('GET', `/apps/${app}/metrics?minutes=5`);
      const info = apiSchema.MetricsInfo.parse(r.body);
      const requests = info.points.filter((pt) => pt.process_type === 'web').reduce((a, pt) => a + pt.requests, 0);
      return requests >= 5 ? info : undefined;
    }, { timeoutMs: 30_000, what: 'requests in metrics' });
    const point = m.points.find((pt) => pt.process_type === 'web');
    assert.ok((point?.statuses['2xx'] ?? 0) >= 5 && point?.p95_ms !== null, JSON.stringify(point));
    await waitFor(async () => {
      const r = await p.api('GET', `/apps/${app}/metrics?minutes=5`);
      return (r.body as { points: Array<{ memory_mb: number | null }> }).points.some((pt) => (pt.memory_mb ?? 0) > 1) || undefined;
    }, { timeoutMs: 30_000, what: 'dyno memory sampled' });
    assert.equal((await p.api('GET', `/apps/${app}/metrics?minutes=0`)).status, 422);
    assert.equal((await viewer.api('GET', `/apps/${app}/metrics`)).status, 200, 'viewers read metrics');

    const prom = await fetch(`${p.apiUrl}/metrics`, { headers: { Authorization: `Bearer ${p.apiKey}` } });
    assert.equal(prom.status, 200);
    assert.match(prom.headers.get('content-type') ?? '', /text\/plain/);
    const text = await prom.text();
    assert.match(text, new RegExp(`cupaas_router_requests_total\\{app="${app}",process_type="web",status="2xx",code=""\\} \\d+`));
    assert.match(text, new RegExp(`cupaas_dyno_memory_bytes\\{app="${app}",dyno="web.1"\\}`));
    assert.equal((await fetch(`${p.apiUrl}/metrics`, { headers: { Authorization: `Bearer ${viewer.token}` } })).status, 403);
    assert.equal((await fetch(`${p.apiUrl}/metrics`)).status, 401);
  });

  test('autoscaling policies are validated and a formation under min grows at once', async () => {
    const put = (body: unknown, type = 'web') => p.api('PUT', `/apps/${app}/formation/${type}/autoscaling`, body);
    const base = { enabled: true, min_quantity: 2, max_quantity: 3, p95_target_ms: 5000 };
    assert.equal((await put({ ...base, min_quantity: 4 })).status, 422, 'min > max');
    assert.equal((await put({ ...base, min_quantity: 0 })).status, 422, 'min < 1');
    assert.equal((await put({ ...base, max_quantity: 500 })).status, 422, 'over the formation limit');
    assert.equal((await put(base, 'nope')).status, 404);
    const before = (await p.api('GET', `/apps/${app}/formation/web`)).body.quantity;
    assert.equal(before, 1);
    const r = await put(base);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const info = apiSchema.AutoscalingInfo.parse(r.body);
    assert.equal(info.enabled, true);
    assert.ok(info.last_scaled_at);
    assert.equal((await p.api('GET', `/apps/${app}/formation/web`)).body.quantity, 2, 'brought up to min');
    assert.equal((await put({ ...base, enabled: false })).body.enabled, false);
    assert.deepEqual(apiSchema.AutoscalingInfo.parse((await p.api('GET', `/apps/${app}/formation/web/autoscaling`)).body).enabled, false);
  });

  test('the dashboard is served on the API port with a strict content security policy', async () => {
    const res = await fetch(`${p.apiUrl}/`);
    if (res.status === 503) return assert.match(await res.text(), /npm run build/);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    const html = await res.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, html);
    assert.equal((await fetch(p.apiUrl + script)).status, 200);
    assert.equal((await fetch(`${p.apiUrl}/assets/..%2fstate.db`)).status, 404);
  });
});
