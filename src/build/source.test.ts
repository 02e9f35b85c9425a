/** Safe source extraction: hostile archives are refused before anything is written. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { rawTarball as tarball, type TarEntry as Entry } from '../../test/support/raw-tar.js';
import { extractSourceArchive } from './index.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function extract(entries: Entry[]) {
  const root = mkdtempSync(join(tmpdir(), 'cupaas-src-'));
  dirs.push(root);
  const file = join(root, 'src.tgz');
  writeFileSync(file, tarball(entries));
  const dest = join(root, 'nested', 'app');
  return { root, dest, run: () => extractSourceArchive(file, dest) };
}

describe('extractSourceArchive', () => {
  it('extracts ordinary files, directories and inside symlinks, dropping .git', async () => {
    const t = await extract([
      { path: './', type: 'dir' },
      { path: './lib/', type: 'dir' },
      { path: './lib/a.txt', body: 'hello' },
      { path: './current', type: 'symlink', link: 'lib/a.txt' },
      { path: './.git/', type: 'dir' },
      { path: './.git/HEAD', body: 'ref: refs/heads/main\n' },
    ]);
    await t.run();
    assert.equal(readFileSync(join(t.dest, 'lib/a.txt'), 'utf8'), 'hello');
    assert.equal(readlinkSync(join(t.dest, 'current')), 'lib/a.txt');
    assert.ok(!existsSync(join(t.dest, '.git')));
  });

  const hostile: Array<[string, Entry[], RegExp]> = [
    ['a .. path', [{ path: 'ok.txt', body: 'x' }, { path: '../../escaped.txt', body: 'pwned' }], /"\.\.\/\.\.\/escaped\.txt" points outside/],
    ['an absolute path', [{ path: '/tmp/cupaas-escaped.txt', body: 'pwned' }], /points outside/],
    ['a symlink out of the tree', [{ path: 'link', type: 'symlink', link: '../../..' }], /links to "\.\.\/\.\.\/\.\.", outside/],
    ['an absolute symlink', [{ path: 'passwd', type: 'symlink', link: '/etc/passwd' }], /links to "\/etc\/passwd"/],
    [
      'a write through an earlier symlink',
      [{ path: 'd', type: 'symlink', link: '.' }, { path: 'd/x.txt', body: 'pwned' }],
      /"d\/x\.txt" goes through a symlink/,
    ],
    ['a hard link out of the tree', [{ path: 'h', type: 'hardlink', link: '../../etc/passwd' }], /outside the app directory/],
    ['a device or fifo', [{ path: 'pipe', type: 'fifo' }], /is a FIFO, not a file/],
  ];
  for (const [what, entries, message] of hostile) {
    it(`refuses an archive with ${what}, writing nothing`, async () => {
      const t = await extract(entries);
      await assert.rejects(t.run(), message);
      assert.ok(!existsSync(t.dest), 'nothing was extracted');
      assert.ok(!existsSync(join(t.root, 'escaped.txt')) && !existsSync('/tmp/cupaas-escaped.txt'));
    });
  }

  it('refuses what is not a tar archive', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cupaas-src-'));
    dirs.push(root);
    writeFileSync(join(root, 'x.tgz'), 'not an archive at all');
    await assert.rejects(extractSourceArchive(join(root, 'x.tgz'), join(root, 'app')), /not a readable tar archive|Refusing/);
  });
});
