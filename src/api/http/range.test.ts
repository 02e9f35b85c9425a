import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlatformError } from '../../shared/errors.js';
import { paginate, parseRange } from './range.js';

const items = Array.from({ length: 5 }, (_, i) => ({ id: `id-${i}`, name: `app-${String.fromCharCode(101 - i)}`, version: i + 1 }));
const fields = { id: (x: (typeof items)[number]) => x.id, name: (x: (typeof items)[number]) => x.name, version: (x: (typeof items)[number]) => x.version };
const page = (range: string | undefined, def = 'id') => paginate(items, range, fields, def, (x) => x);

describe('Range pagination', () => {
  it('returns everything sorted by the default field with 200 when no Range is given', () => {
    const r = page(undefined);
    assert.equal(r.status, 200);
    assert.deepEqual((r.body as typeof items).map((x) => x.id), ['id-0', 'id-1', 'id-2', 'id-3', 'id-4']);
    assert.equal(r.headers?.['Next-Range'], undefined);
    assert.equal(r.headers?.['Accept-Ranges'], 'id, name, version');
  });

  it('pages with 206 and a Next-Range that fetches the rest', () => {
    const first = page('name ..; max=2');
    assert.equal(first.status, 206);
    assert.deepEqual((first.body as typeof items).map((x) => x.name), ['app-a', 'app-b']);
    const next = first.headers?.['Next-Range'] as string;
    assert.match(next, /^name \]app-b\.\.; max=2/);
    const second = page(next);
    assert.deepEqual((second.body as typeof items).map((x) => x.name), ['app-c', 'app-d']);
    const third = page(second.headers?.['Next-Range']);
    assert.equal(third.status, 200);
    assert.deepEqual((third.body as typeof items).map((x) => x.name), ['app-e']);
    assert.equal(third.headers?.['Next-Range'], undefined);
  });

  it('understands the Heroku CLI forms for the newest release', () => {
    for (const h of ['version ..; max=1, order=desc', 'version ..; order=desc,max=1;']) {
      const r = page(h);
      assert.deepEqual((r.body as typeof items).map((x) => x.version), [5], h);
    }
  });

  it('compares numeric fields as numbers', () => {
    const r = page('version ]2..; max=10');
    assert.deepEqual((r.body as typeof items).map((x) => x.version), [3, 4, 5]);
  });

  it('rejects unknown fields, bad max and unknown options with 416', () => {
    for (const h of ['color ..', 'id ..; max=0', 'id ..; max=5000', 'id ..; order=up', 'id ..; foo=1', 'id nodots']) {
      assert.throws(() => parseRange(h, ['id'], 'id'), (e: unknown) => e instanceof PlatformError && e.id === 'requested_range_not_satisfiable', h);
    }
  });
});
