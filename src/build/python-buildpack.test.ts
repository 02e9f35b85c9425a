/**
 * The Python buildpack with real dependencies and real pip, offline: wheels
 * vendored in the app, or a package index that is a `file://` mirror given by
 * the host (config) or by the app (config var). The venv must run on the
 * stack's interpreter and keep working when the slug is unpacked elsewhere.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeFileIndex, writeTinyWheel } from '../../test/support/python-wheel.js';
import { DEFAULT_STACK_PATH } from '../config/index.js';
import { createSlugArchive } from '../slugs/index.js';
import { createBuilder, type BuilderOptions } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'cupaas-py-'));
after(() => rmSync(root, { recursive: true, force: true }));

const APP_PY = 'import tinypkg\nprint(tinypkg.GREETING)\n';
const wheelhouse = join(root, 'wheelhouse');
const wheel = writeTinyWheel(wheelhouse, 'tinypkg', '1.0', 'GREETING = "hello from a vendored wheel"\n');
const HOST: BuilderOptions = { stackPath: DEFAULT_STACK_PATH, npmRegistry: null, pipIndexUrl: null, pipFindLinks: null };

let apps = 0;
/** A fresh app dir (as a new push brings) with app.py, the wheel under vendor/ and the given files. */
function appWith(files: Record<string, string>, vendor = true) {
  const dir = join(root, `app-${++apps}`);
  mkdirSync(join(dir, 'vendor'), { recursive: true });
  if (vendor) cpSync(join(wheelhouse, wheel), join(dir, 'vendor', wheel));
  for (const [path, content] of Object.entries({ 'app.py': APP_PY, ...files })) writeFileSync(join(dir, path), content);
  return dir;
}

async function build(appDir: string, opts: { host?: Partial<BuilderOptions>; config?: Record<string, string>; cache?: string } = {}) {
  const builder = createBuilder({ ...HOST, ...opts.host });
  let output = '';
  const req = {
    appDir, workDir: join(root, `work-${apps}`), cacheDir: opts.cache ?? join(root, `cache-${apps}`), config: opts.config ?? {},
    signal: new AbortController().signal, onOutput: (c: string) => (output += c),
  };
  mkdirSync(req.cacheDir, { recursive: true });
  const buildpacks = await builder.select({ ...req, refs: [] });
  assert.equal(buildpacks[0]?.name, 'Python');
  try {
    await builder.compile({ ...req, buildpacks });
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${output}`);
  }
  return output;
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((p) => join(dir, p));

/** Runs the app as a dyno would: HOME at the slug, .profile.d sourced, the stack's PATH. */
function runApp(slugDir: string, command = 'python3 app.py'): string {
  const script = `for f in "$HOME"/.profile.d/*.sh; do . "$f"; done; ${command}`;
  return execFileSync('bash', ['-c', script], { cwd: slugDir, env: { PATH: DEFAULT_STACK_PATH, HOME: slugDir }, encoding: 'utf8' }).trim();
}

describe('python buildpack: dependencies', () => {
  it('installs a vendored wheel into the venv on the stack interpreter, relocatable, and reuses it from the cache', async () => {
    const requirements = { 'requirements.txt': `./vendor/${wheel}\n` };
    const app = appWith(requirements);
    const first = await build(app, { cache: join(root, 'shared-cache') });
    assert.match(first, /Installing requirements with pip/);
    assert.match(first, /Successfully installed tinypkg-1\.0/);
    const installed = readdirSync(join(app, '.venv/lib')).map((v) => join(app, '.venv/lib', v, 'site-packages/tinypkg/__init__.py'));
    assert.ok(installed.some((f) => existsSync(f)), 'tinypkg is in the venv');

    assert.match(readFileSync(join(app, '.venv/pyvenv.cfg'), 'utf8'), /^home = \/usr\/bin$/m, "the stack's python, not the operator's");
    for (const path of filesUnder(join(app, '.venv'))) {
      const link = lstatSync(path).isSymbolicLink() ? readlinkSync(path) : null;
      assert.ok(link === null || !isAbsolute(link), `${path} links to ${link}, which a slug cannot carry`);
      if (link === null && path.includes('/bin/') && statSync(path).size < 100_000) {
        const text = readFileSync(path, 'utf8');
        assert.ok(!text.includes(app) && !text.includes('/root/'), `${path} names the build dir or /root`);
      }
    }

    // Packed as a slug and unpacked elsewhere, as a dyno gets it: the app and the venv's scripts still work.
    const slugs = createSlugArchive(join(root, 'slugs'));
    const unpacked = join(root, 'unpacked');
    await slugs.extract((await slugs.pack(app)).checksum, unpacked);
    rmSync(app, { recursive: true });
    assert.equal(runApp(unpacked), 'hello from a vendored wheel');
    assert.equal(runApp(unpacked, 'python3 -c "import sys; print(sys.prefix, sys.base_prefix)"'), `${unpacked}/.venv /usr`);
    assert.match(runApp(unpacked, 'pip --version'), new RegExp(`from ${unpacked}/.venv/`));

    const again = appWith(requirements);
    const second = await build(again, { cache: join(root, 'shared-cache') });
    assert.match(second, /Restoring \.venv from the build cache \(requirements\.txt unchanged/);
    assert.doesNotMatch(second, /Installing requirements/);
    assert.equal(runApp(again), 'hello from a vendored wheel');
  });

  it('installs by name offline from `--no-index --find-links vendor` in requirements.txt', async () => {
    const app = appWith({ 'requirements.txt': '--no-index\n--find-links vendor\ntinypkg==1.0\n' });
    assert.match(await build(app), /Successfully installed tinypkg-1\.0/);
    assert.equal(runApp(app), 'hello from a vendored wheel');
  });

  it("installs from the host's pip mirror, and the app's PIP_INDEX_URL config var wins over it", async () => {
    const mirror = writeFileIndex(join(root, 'mirror'), 'tinypkg', join(wheelhouse, wheel));
    const emptyMirror = `file://${mkdtempSync(join(root, 'empty-mirror-'))}/`;
    const requirements = { 'requirements.txt': 'tinypkg==1.0\n' };

    const fromHost = appWith(requirements, false);
    assert.match(await build(fromHost, { host: { pipIndexUrl: mirror } }), /Successfully installed tinypkg-1\.0/);
    assert.equal(runApp(fromHost), 'hello from a vendored wheel');

    const fromApp = appWith(requirements, false);
    const output = await build(fromApp, { host: { pipIndexUrl: emptyMirror }, config: { PIP_INDEX_URL: mirror } });
    assert.match(output, /Successfully installed tinypkg-1\.0/);
  });
});
