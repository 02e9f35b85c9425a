import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPlatformError } from '../../shared/errors.js';
import { createRouteTable, rawPathOf } from './router.js';
import type { Route } from './types.js';

const route = (method: Route['method'], path: string): Route => ({ method, path, access: 'user', handler: async () => ({}) });
const table = createRouteTable([
  route('DELETE', '/apps/:app'),
  route('GET', '/apps/:app/domains'),
  route('DELETE', '/apps/:app/domains/:key'),
  route('GET', '/:app.git/info/refs'),
]);

const errorId = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return isPlatformError(e) ? e.id : 'not a PlatformError';
  }
  return undefined;
};

describe('route table', () => {
  it('matches segment for segment and decodes params', () => {
    const m = table.match('DELETE', '/apps/my-app/domains/www.example.com').match;
    assert.equal(m?.route.path, '/apps/:app/domains/:key');
    assert.deepEqual(m?.params, { app: 'my-app', key: 'www.example.com' });
    assert.deepEqual(table.match('DELETE', '/apps/a/domains/https%3A%2F%2Fx').match?.params, { app: 'a', key: 'https://x' });
    assert.deepEqual(table.match('GET', '/my-app.git/info/refs').match?.params, { app: 'my-app' });
  });

  it('never resolves dot-segments into another route: `..` in any spelling is a 400', () => {
    for (const p of ['/apps/a/domains/..', '/apps/a/domains/%2e%2e', '/apps/a/domains/%2E.', '/apps/a/domains/.', '/apps/a/x/../domains', '/apps/a/domains/%2e']) {
      assert.equal(errorId(() => table.match('DELETE', p)), 'bad_request', p);
    }
  });

  it('refuses empty segments and trailing slashes instead of aliasing another route', () => {
    for (const p of ['/apps/a/domains/', '/apps//domains', '/apps/a/', '//apps/a', '/apps/a/domains//']) {
      assert.equal(table.match('DELETE', p).match, undefined, p);
    }
    assert.equal(table.match('GET', '/.git/info/refs').match, undefined);
  });

  it('answers malformed %-escapes with 400, not an exception', () => {
    assert.equal(errorId(() => table.match('DELETE', '/apps/%ZZ')), 'bad_request');
    assert.equal(errorId(() => table.match('GET', '/%E0%A4%A.git/info/refs')), 'bad_request');
  });

  it('lists allowed methods when only the path matches', () => {
    assert.deepEqual(table.match('GET', '/apps/a').allowed, ['DELETE']);
  });

  it('keeps the request target raw: no normalisation, query split off', () => {
    assert.deepEqual(rawPathOf('/apps/a/domains/%2e%2e?x=1#f'), { path: '/apps/a/domains/%2e%2e', query: 'x=1' });
    assert.deepEqual(rawPathOf('http://h:5000/apps/../x?y'), { path: '/apps/../x', query: 'y' });
    assert.equal(errorId(() => rawPathOf('*')), 'bad_request');
  });
});
