/**
 * The (role × endpoint) table: every route of the API, taken from the route
 * list itself, requested over real HTTP by each kind of caller, with the
 * status the access policy must give. A new route is in the table as soon as
 * it exists; one without a sound policy decision fails here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Route } from '../../src/api/index.js';
import { allRoutes } from '../../src/api/routes/index.js';
import { APP_ROLES, ROLE_NEEDED, type Access, type AppAction, type AppRole } from '../../src/domain/index.js';
import { gitRoutes } from '../../src/git/index.js';
import { startPlatform, type ApiResult, type TestPlatform } from '../support/platform.js';
import { addUser, type TestUser } from '../support/users.js';

/** Stands in for every dependency: route factories only keep it for their handlers, which this test never calls. */
const anything: any = new Proxy(function () {}, {
  get: (_t, key) => (key === Symbol.toPrimitive ? () => 'x' : anything),
  apply: () => anything,
});
const ROUTES: readonly Route[] = [...allRoutes(anything), ...gitRoutes(anything)];

/** Routes without an API key, each proving a secret of its own (or serving nothing private). A new one must be added here on purpose. */
const PUBLIC = new Set([
  'GET /health', 'POST /hooks/:app', 'GET /log-streams/:id', 'PUT /sources/:id', 'GET /sources/:id', 'GET /build-output/:build',
  'PATCH /invitations/:code', 'GET /:app.git/info/refs', 'POST /:app.git/git-upload-pack', 'POST /:app.git/git-receive-pack',
  'POST /git-hooks/pre-receive', 'POST /session', 'GET /session',
]);

type Caller = 'anonymous' | 'stranger' | AppRole | 'platform-admin';
/** Lowest first, so a destructive request that succeeds comes after every refusal. */
const CALLERS: readonly Caller[] = ['anonymous', 'stranger', 'viewer', 'member', 'admin', 'platform-admin'];

const rank = (r: AppRole) => APP_ROLES.indexOf(r);

/** What the policy must answer: a status, or 'allowed' (the handler ran: anything but 401, 403 and the policy's 404). */
function expected(access: Access, caller: Caller): 401 | 403 | 404 | 'allowed' {
  if (caller === 'anonymous') return 401;
  if (access === 'user') return 'allowed';
  if (access === 'platform-admin') return caller === 'platform-admin' ? 'allowed' : 403;
  const action = access.split(':')[1] as AppAction;
  if (caller === 'platform-admin') return 'allowed';
  if (caller === 'stranger') return 404;
  return rank(caller) >= rank(ROLE_NEEDED[action]) ? 'allowed' : 403;
}

let p: TestPlatform;
let users: Record<Exclude<Caller, 'anonymous' | 'platform-admin'>, TestUser>;
const TEAM = 'table-team';

before(async () => {
  p = await startPlatform();
  users = {
    stranger: await addUser(p, 'stranger@example.com'),
    viewer: await addUser(p, 'viewer@example.com'),
    member: await addUser(p, 'member@example.com'),
    admin: await addUser(p, 'team-admin@example.com'),
  };
  assert.equal((await p.api('POST', '/teams', { name: TEAM })).status, 201);
  for (const role of APP_ROLES) {
    const r = await p.api('PUT', `/teams/${TEAM}/members`, { user: users[role].email, role });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
});
after(() => p?.cleanup());

let apps = 0;
/** A fresh app of the team: destructive requests must not take the next request's target away. */
async function teamApp(): Promise<string> {
  const r = await p.api('POST', `/teams/${TEAM}/apps`, { name: `table-${++apps}` });
  // An internal error names its request id; the server's log line for it says what failed.
  const id = /request id ([0-9a-f-]{36})/.exec(JSON.stringify(r.body))?.[1];
  const logged = id ? p.output().split('\n').filter((l) => l.includes(id)).join('\n') : '';
  assert.equal(r.status, 201, `${JSON.stringify(r.body)}\n${logged}`);
  return r.body.name;
}

function request(caller: Caller, method: string, path: string): Promise<ApiResult> {
  const body = method === 'GET' || method === 'DELETE' ? undefined : {};
  if (caller === 'anonymous') return p.api(method, path, body, { Authorization: '' });
  if (caller === 'platform-admin') return p.api(method, path, body);
  return users[caller].api(method, path, body);
}

const concrete = (route: Route, app: string) =>
  route.path.replace(/:([A-Za-z_]+)/g, (_m, name: string) => ({ app, team: TEAM, user: '~', release: '1' })[name] ?? `no-such-${name}`);

describe('the route list', () => {
  it('gives every route a policy decision that fits its path', () => {
    for (const r of ROUTES) {
      const key = `${r.method} ${r.path}`;
      assert.ok(r.access, `${key} declares no access`);
      if (r.access === 'public') assert.ok(PUBLIC.has(key), `${key} is public: add it to PUBLIC only if it proves a secret of its own`);
      if (r.access.startsWith('app:')) assert.match(r.path, /:app\b/, `${key} declares ${r.access} without :app`);
      if (r.access.startsWith('team:')) assert.match(r.path, /:team\b/, `${key} declares ${r.access} without :team`);
      if (/^\/apps\/:app/.test(r.path)) assert.match(r.access, /^app:/, `${key} is about one app but declares ${r.access}`);
    }
    assert.ok(ROUTES.length > 90, `only ${ROUTES.length} routes found`);
  });
});

describe('(role × endpoint) over HTTP', () => {
  for (const route of ROUTES.filter((r) => r.access !== 'public')) {
    it(`${route.method} ${route.path} (${route.access})`, async () => {
      let app = await teamApp();
      for (const caller of CALLERS) {
        if (route.method === 'DELETE') app = await teamApp();
        const path = concrete(route, app);
        const r = await request(caller, route.method, path);
        const want = expected(route.access, caller);
        const what = `${caller}: ${route.method} ${path} → ${r.status} ${JSON.stringify(r.body)}`;
        if (want === 'allowed') {
          assert.ok(![401, 403].includes(r.status), what);
          assert.ok(!(r.status === 404 && /that (app|team):/.test(r.body?.message ?? '')), what);
          assert.ok(r.status < 500, what);
        } else {
          assert.equal(r.status, want, what);
          if (want === 404) assert.match(r.body.message, /Couldn't find that (app|team)/, what);
          if (want === 403 && route.access !== 'platform-admin') {
            assert.match(r.body.message, new RegExp(`need the ${ROLE_NEEDED[route.access.split(':')[1] as AppAction]} role`), what);
          }
        }
      }
    });
  }
});
