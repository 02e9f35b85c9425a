import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkApiPath } from './api-path.js';
import { CliError } from './errors.js';

describe('checkApiPath', () => {
  it('lets ordinary paths through, including encoded slashes in a segment', () => {
    for (const p of ['/apps', '/apps/a/domains/www.example.com', '/apps/a/log-drains/https%3A%2F%2Fx%2Fy?x=..', '/apps/a/releases/3']) {
      assert.doesNotThrow(() => checkApiPath(p), p);
    }
  });

  it('refuses empty, dot and dot-dot segments in any spelling before anything is sent', () => {
    for (const arg of ['..', '.', '', '%2e%2e', '%2E.']) {
      const p = `/apps/a/domains/${arg.startsWith('%') ? arg : encodeURIComponent(arg)}`;
      assert.throws(() => checkApiPath(p), CliError, p);
    }
    assert.throws(() => checkApiPath('/apps/%ZZ'), CliError);
  });
});
