import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newSecret } from './ids.js';

test('a secret never starts with a dash, so it can follow an option on a command line', () => {
  // One in 64 base64url strings starts with `-`: 10 000 of them all but surely include one.
  const secrets = Array.from({ length: 10_000 }, () => newSecret(18));
  assert.equal(secrets.filter((s) => s.startsWith('-')).length, 0);
  assert.ok(secrets.every((s) => /^[A-Za-z0-9_-]{24}$/.test(s)));
  assert.equal(new Set(secrets).size, secrets.length);
});
