import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlatformError } from '../../shared/errors.js';
import { parseRepoUrl } from './repo-url.js';

describe('repository URL validation', () => {
  it('accepts the supported transports and scopes tokens to the HTTP origin', () => {
    const table: Array<[string, string, string | null]> = [
      ['https://github.com/acme/app.git', 'https', 'https://github.com/'],
      ['http://127.0.0.1:8080/app.git', 'http', 'http://127.0.0.1:8080/'],
      ['ssh://git@example.com:2222/acme/app.git', 'ssh', null],
      ['git@github.com:acme/app.git', 'ssh', null],
      ['example.com:acme/app.git', 'ssh', null],
      ['file:///srv/git/app.git', 'file', null],
      ['https://[::1]:8443/app.git', 'https', 'https://[::1]:8443/'],
      ['ssh://git@[::1]/app.git', 'ssh', null],
      ['  https://gitlab.com/acme/app  ', 'https', 'https://gitlab.com/'],
    ];
    for (const [url, kind, origin] of table) {
      const r = parseRepoUrl(url);
      assert.equal(r.kind, kind, url);
      assert.equal(r.httpOrigin, origin, url);
      assert.equal(r.url, url.trim());
    }
  });

  it('rejects transport helpers, option injection, credentials in URLs and other schemes', () => {
    const bad = [
      'ext::sh -c touch% /tmp/pwned',
      'ext::sh',
      'fd::17',
      '::ext',
      'https::github.com/x',
      '-uhelp',
      '--upload-pack=touch /tmp/x',
      'ssh://-oProxyCommand=touch%20x/repo',
      'ssh://-oProxyCommand=x@host/repo',
      '-oProxyCommand=x:repo',
      'host:-repo',
      'https://user:token@github.com/acme/app.git',
      'https://token@github.com/acme/app.git',
      'git://example.com/app.git',
      'ftp://example.com/app.git',
      'file://otherhost/srv/app.git',
      'https://github.com/acme/app name',
      'https://github.com/acme/app\n--x',
      '/srv/git/app.git',
      './app',
      '',
      'https://' + 'a'.repeat(3000),
    ];
    for (const url of bad) {
      assert.throws(() => parseRepoUrl(url), (e: unknown) => e instanceof PlatformError && e.id === 'invalid_params', url);
    }
  });

  it('never echoes a token given in a URL', () => {
    try {
      parseRepoUrl('https://x:s3cr3t-token@github.com/a/b.git');
      assert.fail('accepted');
    } catch (e) {
      assert.ok(!(e as Error).message.includes('s3cr3t-token'));
    }
  });
});
