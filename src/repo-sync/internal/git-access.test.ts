import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { scrub, withGitAccess, type GitAccess } from './git-access.js';
import { parseRepoUrl } from './repo-url.js';

const dir = mkdtempSync(join(tmpdir(), 'cupaas-git-access-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const paths = { tmpDir: dir, knownHosts: join(dir, 'known_hosts'), hostPath: '/usr/bin:/bin' };
const configOf = (env: NodeJS.ProcessEnv) =>
  Array.from({ length: Number(env.GIT_CONFIG_COUNT) }, (_, i) => [env[`GIT_CONFIG_KEY_${i}`], env[`GIT_CONFIG_VALUE_${i}`]]);

describe('git access', () => {
  it('sends a token as a header scoped to the repository origin, never in the URL', async () => {
    const repo = parseRepoUrl('https://git.example.com/acme/app.git');
    const access = await withGitAccess(repo, { type: 'token', username: 'x-access-token', token: 'tok' }, paths, async (a) => a);
    const basic = Buffer.from('x-access-token:tok').toString('base64');
    assert.deepEqual(configOf(access.env), [
      ['protocol.ext.allow', 'never'],
      ['credential.helper', ''],
      ['http.https://git.example.com/.extraHeader', `Authorization: Basic ${basic}`],
    ]);
    assert.equal(access.env.GIT_ALLOW_PROTOCOL, 'file:http:https:ssh');
    assert.equal(access.env.GIT_TERMINAL_PROMPT, '0');
    assert.deepEqual(access.secrets, ['tok', basic]);
  });

  it('writes a deploy key to a 0600 file only while git runs', async () => {
    const repo = parseRepoUrl("git@example.com:acme/it's.git");
    let keyFile = '';
    await withGitAccess(repo, { type: 'ssh-key', privateKey: 'KEY' }, paths, async (a: GitAccess) => {
      keyFile = /-i' '([^']+)'/.exec(a.env.GIT_SSH_COMMAND ?? '')?.[1] ?? '';
      assert.equal(readFileSync(keyFile, 'utf8'), 'KEY');
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      assert.match(a.env.GIT_SSH_COMMAND ?? '', /'IdentitiesOnly=yes'.*'StrictHostKeyChecking=accept-new'/);
    });
    assert.ok(keyFile);
    assert.ok(!existsSync(keyFile));
  });

  it('scrubs secrets and URL passwords from text', () => {
    assert.equal(scrub('fatal: https://u:pw@host/x failed with tok', ['tok']), 'fatal: https://***@host/x failed with ***');
    assert.equal(scrub('nothing here', []), 'nothing here');
  });
});
