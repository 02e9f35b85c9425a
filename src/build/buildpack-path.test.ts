import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { allowedBuildpackPath } from './buildpack-path.js';

describe('buildpacks by path', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'cupaas-bppath-')));
  after(() => rmSync(root, { recursive: true, force: true }));
  const app = join(root, 'app');
  const allowed = join(root, 'allowed');
  const secret = join(root, 'home');
  for (const d of [join(app, 'bp'), join(allowed, 'bp'), secret]) mkdirSync(d, { recursive: true });
  symlinkSync(secret, join(app, 'link-out'));
  symlinkSync(secret, join(allowed, 'link-out'));
  const policy = { appDir: app, allowedDirs: [allowed] };
  const refused = (ref: string, why: RegExp, p = policy) => assert.throws(() => allowedBuildpackPath(ref, p), why, ref);

  it('takes a directory inside the app, and one in a directory the admin allows (by path or file://)', () => {
    assert.equal(allowedBuildpackPath('bp', policy), join(app, 'bp'));
    assert.equal(allowedBuildpackPath('./bp', policy), join(app, 'bp'));
    assert.equal(allowedBuildpackPath(join(allowed, 'bp'), policy), join(allowed, 'bp'));
    assert.equal(allowedBuildpackPath(`file://${allowed}/bp`, policy), join(allowed, 'bp'));
  });

  it('refuses .. in any spelling, server paths outside the allowed dirs, and symlinks that lead out', () => {
    for (const ref of ['..', '../../..', 'bp/../../home', `${allowed}/../home`, `file://${allowed}/../home`, `file://${allowed}/%2e%2e/home`, 'bp/..']) {
      refused(ref, /goes through "\.\."/);
    }
    refused(secret, /not in a directory the admin allows/);
    refused(`file://${secret}`, /not in a directory the admin allows/);
    refused('/', /not in a directory the admin allows/);
    refused(join(allowed, 'link-out'), /not in a directory the admin allows/);
    refused('link-out', /leads outside the app/);
    refused(join(app, 'bp'), /not in a directory the admin allows/, policy);
    refused(allowed, /no server directory is allowed/, { appDir: app, allowedDirs: [] });
    refused('missing', /does not exist/);
    refused('file://remote-host/x', /not a valid file URL/);
  });
});
