/**
 * The build sandbox's clean-up, for real (root with bubblewrap and cgroups):
 * nothing a build program starts outlives it, and a server that died
 * mid-build leaves nothing its successor cannot stop.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DYNO_SIZES } from '../../config/index.js';
import { createDynoCgroup, detectSandbox, limitsFor } from '../../sandbox/index.js';
import { run } from '../../shared/process.js';
import { waitFor } from '../../shared/wait.js';
import { stopLeftoverBuild } from '../builder.js';
import { CGROUPS_RECORD, createIsolation } from './isolation.js';
import { planMirrors } from './mirrors.js';
import { SANDBOX_AUTO } from '../../../test/support/sandbox-config.js';

const sandbox = SANDBOX_AUTO;
const support = await detectSandbox(sandbox);
const skip = support.user && support.cgroups ? false : 'needs root with bubblewrap and cgroups';
/** A duration no other test uses, to find exactly our processes. */
const MARK = String(3000 + (process.pid % 1000));
const ours = async () => (await run(['pgrep', '-f', `^sleep ${MARK}$`])).stdout.split('\n').filter(Boolean);

describe('build sandbox clean-up', { skip }, () => {
  const root = mkdtempSync(join(tmpdir(), 'cupaas-iso-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const work = join(root, 'work');
  const app = join(work, 'app');
  mkdirSync(app, { recursive: true });
  const size = DYNO_SIZES[0]!;
  const isolation = createIsolation({ sandbox, size, mirrors: planMirrors({ npmRegistry: 'http://127.0.0.1:9/', pipIndexUrl: 'http://127.0.0.1:9/', pipFindLinks: null }) });

  it('kills what a program left running, even in a new session, and removes its cgroup', async () => {
    let out = '';
    const code = await isolation.exec(['sh', '-c', `setsid sleep ${MARK} >/dev/null 2>&1 & echo started`], {
      cwd: app, writable: [app], readable: [], workDir: work, env: { PATH: '/usr/bin:/bin' },
      signal: new AbortController().signal, onOutput: (c) => (out += c),
    });
    assert.equal(code, 0, out);
    assert.match(out, /started/);
    assert.deepEqual(await ours(), []);
    assert.ok(support.cgroups);
  });

  it('stopLeftoverBuild kills and removes the cgroups a dead server’s build left', async () => {
    const cg = createDynoCgroup(support.cgroups!, `build-leftover-${process.pid}`, limitsFor(size));
    writeFileSync(join(work, CGROUPS_RECORD), cg.dirs.map((d) => `${d}\n`).join('') + '/sys/fs/cgroup/memory/not-ours\n');
    const script = 'for f in "$@"; do echo $$ > "$f"; done; exec sleep ' + MARK;
    const child = spawn('sh', ['-c', script, 'sh', ...cg.procsFiles], { stdio: 'ignore', detached: true });
    await waitFor(async () => (await ours()).length === 1, { what: 'the leftover to start' });
    child.unref();
    stopLeftoverBuild(work);
    assert.deepEqual(cg.dirs.filter((d) => existsSync(d)), [], 'its cgroup is gone');
    await waitFor(async () => (await ours()).length === 0, { what: 'the leftover to be reaped' });
  });
});
