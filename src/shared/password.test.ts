import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('verifies the password it hashed and nothing else; salts every hash', async () => {
    const h = await hashPassword('correct horse battery staple');
    assert.match(h, /^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    assert.equal(await verifyPassword('correct horse battery staple', h), true);
    assert.equal(await verifyPassword('correct horse battery stapler', h), false);
    assert.notEqual(await hashPassword('correct horse battery staple'), h);
  });

  it('never matches a malformed stored hash', async () => {
    for (const bad of ['', 'plain', 'scrypt$1$2', 'md5$x$y$z$salt$hash']) assert.equal(await verifyPassword('x', bad), false);
  });
});
