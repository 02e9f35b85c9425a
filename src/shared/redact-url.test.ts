import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasUrlSecrets, redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('masks user info and query values, keeping the rest', () => {
    assert.equal(redactUrl('https://user:pa%40ss@logs.example.com:8443/p/a?token=abc&x=1'), 'https://***:***@logs.example.com:8443/p/a?token=***&x=***');
    assert.equal(redactUrl('syslog+tls://logs.example.com:6514'), 'syslog+tls://logs.example.com:6514');
    assert.equal(redactUrl('not a url'), '***');
    assert.ok(hasUrlSecrets('https://u:p@h/'));
    assert.ok(!hasUrlSecrets('https://h/drain'));
  });
});
