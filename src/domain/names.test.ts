import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOSTNAME } from './names.js';

describe('HOSTNAME (custom domains)', () => {
  it('accepts DNS names', () => {
    for (const h of ['www.example.com', 'a.b.c.example.org', 'x1.io', '1password.com', 'xn--bcher-kva.example']) assert.ok(HOSTNAME.test(h), h);
  });
  it('refuses IP literals, numbers resolvers read as addresses, and single labels', () => {
    for (const h of ['127.0.0.1', '0x7f000001', '2130706433', '10', '1.0x7f', '10.0.0.1', '0177.0.0.1', 'localhost', '[::1]', '::1', 'a..b.com', '-a.com', 'a.com.']) {
      assert.ok(!HOSTNAME.test(h), h);
    }
  });
});
