import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PlatformError } from '../../shared/errors.js';
import { checkFileRepo } from './file-access.js';
import { parseRepoUrl } from './repo-url.js';

const root = mkdtempSync(join(tmpdir(), 'cupaas-file-access-'));
after(() => rmSync(root, { recursive: true, force: true }));
const home = join(root, 'home');
const allowed = join(root, 'allowed');
for (const d of [join(home, 'repos', 'other.git'), join(allowed, 'ok.git'), join(allowed, 'pointer'), join(root, 'elsewhere.git')]) {
  mkdirSync(d, { recursive: true });
}
symlinkSync(join(home, 'repos', 'other.git'), join(allowed, 'link.git'));
writeFileSync(join(allowed, 'pointer', '.git'), `gitdir: ${join(home, 'repos', 'other.git')}\n`);

const policy = { home, allowedDirs: [allowed] };
const check = (url: string) => checkFileRepo(parseRepoUrl(url), policy);
const refused = (url: string) => assert.throws(() => check(url), (e: unknown) => e instanceof PlatformError && e.id === 'invalid_params', url);

describe('file:// repository access', () => {
  it('allows repositories under an admin-allowed directory', () => {
    check(`file://${join(allowed, 'ok.git')}`);
    check('https://github.com/x/y.git');
  });

  it('refuses $CUPAAS_HOME, other places, and ways out through .., symlinks or .git pointers', () => {
    refused(`file://${join(home, 'repos', 'other.git')}`);
    refused(`file://${join(root, 'elsewhere.git')}`);
    refused(`file://${join(allowed, '..', 'home', 'repos', 'other.git')}`);
    refused(`file://${join(allowed, 'link.git')}`);
    refused(`file://${join(allowed, 'pointer')}`);
    assert.throws(() => checkFileRepo(parseRepoUrl(`file://${join(allowed, 'ok.git')}`), { home, allowedDirs: [] }), PlatformError);
  });

  it('never allows $CUPAAS_HOME even when an admin allows a directory around it', () => {
    assert.throws(() => checkFileRepo(parseRepoUrl(`file://${join(home, 'repos', 'other.git')}`), { home, allowedDirs: [root] }), PlatformError);
  });
});
