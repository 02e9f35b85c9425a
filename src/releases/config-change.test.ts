import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlatformError } from '../shared/errors.js';
import { applyConfigChanges, describeConfigChange } from './config-change.js';

describe('config changes', () => {
  it('sets, overwrites and unsets keys, reporting only real changes', () => {
    const r = applyConfigChanges({ A: '1', B: '2' }, { A: '1', B: 'two', C: '3', D: null, A_GONE: null });
    assert.deepEqual(r.next, { A: '1', B: 'two', C: '3' });
    assert.deepEqual(r.set, ['B', 'C']);
    assert.deepEqual(r.removed, []);
    const u = applyConfigChanges(r.next, { C: null });
    assert.deepEqual(u.removed, ['C']);
  });

  it('rejects invalid names with invalid_params', () => {
    for (const key of ['1ABC', 'A-B', 'A B', '', '../x', 'É']) {
      assert.throws(() => applyConfigChanges({}, { [key]: 'v' }), (e: unknown) => e instanceof PlatformError && e.id === 'invalid_params', key);
    }
  });

  it('refuses __proto__ as a name and NUL in a value, changing nothing', () => {
    const proto = JSON.parse('{"__proto__": "x"}') as Record<string, string>;
    const isInvalid = (e: unknown) => e instanceof PlatformError && e.id === 'invalid_params';
    assert.throws(() => applyConfigChanges({}, proto), isInvalid);
    assert.throws(() => applyConfigChanges({ A: '1' }, { A: 'a\u0000b' }), isInvalid);
  });

  it('enforces the 32 KB total with payload_too_large', () => {
    const big = 'x'.repeat(20 * 1024);
    const r = applyConfigChanges({}, { A: big });
    assert.throws(() => applyConfigChanges(r.next, { B: big }), (e: unknown) => e instanceof PlatformError && e.id === 'payload_too_large');
  });

  it('describes changes the way Heroku does', () => {
    assert.equal(describeConfigChange(['A', 'B'], []), 'Set A, B config vars');
    assert.equal(describeConfigChange([], ['C']), 'Remove C config vars');
    assert.equal(describeConfigChange(['A'], ['C']), 'Set A config vars; Remove C config vars');
  });
});
