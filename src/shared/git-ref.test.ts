import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGitBranchName } from './git-ref.js';

describe('isGitBranchName', () => {
  it('accepts what git accepts', () => {
    for (const n of ['main', 'master', 'feature/x-1', 'release_2.0', 'a/b/c']) assert.ok(isGitBranchName(n), n);
  });
  it('refuses what git refuses, options and HEAD', () => {
    for (const n of ['/a', '.hidden', 'a.lock', 'a/.b', 'a..b', 'a//b', 'a/', 'a@{1}', 'a b', 'a\u0000b', '-x', 'HEAD', '', 'a~1', 'a:b', 'x'.repeat(201)]) {
      assert.ok(!isGitBranchName(n), JSON.stringify(n));
    }
  });
});
