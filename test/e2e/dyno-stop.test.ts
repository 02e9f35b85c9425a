/**
 * Stopping dynos of an app that does not handle SIGTERM, sandboxed and plain:
 * the stop's SIGTERM ends it at once (well under the 30 s stop timeout), also
 * when the command execs the app, when the stop comes while the dyno is still
 * booting, and the app's children go with it. An app that handles SIGTERM
 * and drains is covered in sandbox.test.ts. The sandboxed half needs root,
 * bubblewrap and cgroups.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_STACK_PATH } from '../../src/config/index.js';
import type { DynoEvent, DynoSpec } from '../../src/runtime/index.js';
import { createLocalDriver, plainLauncher, type Launcher } from '../../src/runtime/local/index.js';
import { createSandboxLauncher, sandboxDoctor } from '../../src/runtime/local/sandbox/index.js';
import { newId } from '../../src/shared/ids.js';
import { silentLogger } from '../../src/shared/logger.js';
import { run } from '../../src/shared/process.js';
import { waitFor } from '../../src/shared/wait.js';
import { createSlugArchive } from '../../src/slugs/index.js';
import { collectingLogSink, running } from '../support/runtime-fixtures.js';
import { tempDir } from '../support/temp.js';
import { SANDBOX_AUTO } from '../support/sandbox-config.js';

/** No SIGTERM handler; a child `sleep MARK`. */
const SERVER = `
const { spawn } = require('child_process');
spawn('sleep', [process.env.MARK], { stdio: 'ignore' });
require('http').createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT));
`;
/** With SLOW_BOOT set, booting takes a while and says so in $HOME/booting. */
const SLOW_BOOT = 'if [ -n "$SLOW_BOOT" ]; then : > "$HOME/booting"; sleep 20; fi\n';
const STOP_TIMEOUT_MS = 30_000;
/** A behaviour check, not a benchmark: far below the stop timeout, far above a slow CI's noise. */
const PROMPT_MS = 5000;

const sandbox = SANDBOX_AUTO;
const doctor = await sandboxDoctor(sandbox);
const noSandbox = /^bubblewrap\+cgroup-v[12]/.test(doctor.isolation) ? false : `needs root with bubblewrap and cgroups; here:\n${doctor.report}`;

interface Suite {
  name: string;
  skip: string | false;
  launcher: (logs: ReturnType<typeof collectingLogSink>) => Launcher;
}

function suite({ name, skip, launcher }: Suite) {
  describe(name, { skip }, () => {
    const home = mkdtempSync(join(tmpdir(), 'cupaas-stop-'));
    const logs = collectingLogSink();
    const config = {
      home, sandbox, stackPath: DEFAULT_STACK_PATH,
      dyno: { bootTimeoutMs: 10_000, stopTimeoutMs: STOP_TIMEOUT_MS, crashBackoffBaseMs: 1000, crashBackoffMaxMs: 1000 },
    };
    const driver = createLocalDriver({ config, logs, logger: silentLogger }, { launcher: launcher(logs) });
    const events: DynoEvent[] = [];
    driver.subscribe((e) => events.push(e));
    let checksum = '';

    const spec = (command: string, mark: string, env: Record<string, string> = {}): DynoSpec => ({
      dynoId: newId(), appId: 'stop-app', name: 'web.1', processType: 'web', releaseId: 'r1', releaseVersion: 1, artifact: { slugChecksum: checksum, image: null },
      command, size: 'standard-1x', env: { MARK: mark, ...env }, web: true, healthCheckPath: null,
    });
    const up = (s: DynoSpec) => {
      driver.start(s);
      return waitFor(() => events.some((e) => e.type === 'up' && e.dynoId === s.dynoId), { what: 'dyno up', timeoutMs: 15_000 });
    };
    /** Host pids of the dyno's child, found by its unique `sleep` argument. */
    const childPids = async (mark: string) =>
      (await run(['pgrep', '-f', `^sleep ${mark}$`])).stdout.split('\n').filter(Boolean).map(Number);
    const timedStop = async (dynoId: string) => {
      const t0 = Date.now();
      const r = await driver.stop(dynoId);
      return { ...r, ms: Date.now() - t0 };
    };
    const mark = () => String(100_000 + Math.floor(Math.random() * 800_000));

    before(async () => {
      const src = mkdtempSync(join(tmpdir(), 'cupaas-stop-app-'));
      try {
        writeFileSync(join(src, 'server.js'), SERVER);
        mkdirSync(join(src, '.profile.d'));
        writeFileSync(join(src, '.profile.d', 'slow.sh'), SLOW_BOOT);
        checksum = (await createSlugArchive(join(home, 'slugs')).pack(src)).checksum;
      } finally {
        rmSync(src, { recursive: true, force: true });
      }
      await driver.adopt();
    });
    after(async () => {
      await driver.close();
      rmSync(home, { recursive: true, force: true });
    });

    for (const command of ['node server.js', 'exec node server.js']) {
      test(`\`${command}\` without a SIGTERM handler stops at once, and its children with it`, async () => {
        const m = mark();
        const s = spec(command, m);
        await up(s);
        await waitFor(async () => (await childPids(m)).length === 1, { what: 'the child runs' });
        const pids = await childPids(m);
        const r = await timedStop(s.dynoId);
        assert.equal(r.forced, false, 'no SIGKILL was needed');
        assert.ok(r.ms < PROMPT_MS, `stopped in ${r.ms} ms`);
        const exited = events.find((e) => e.type === 'exited' && e.dynoId === s.dynoId);
        assert.equal(exited?.type === 'exited' && exited.status, 143);
        await waitFor(() => pids.every((pid) => !running(pid)), { what: 'the child is gone', timeoutMs: 2000 });
      });
    }

    test('a stop while the dyno is still booting (.profile.d) is not lost: the app never starts', async () => {
      const s = spec('node server.js', mark(), { SLOW_BOOT: '1' });
      driver.start(s);
      await waitFor(() => existsSync(join(home, 'dynos', s.dynoId, 'app', 'booting')), { what: '.profile.d runs', timeoutMs: 15_000 });
      const r = await timedStop(s.dynoId);
      assert.equal(r.forced, false);
      assert.ok(r.ms < PROMPT_MS, `stopped in ${r.ms} ms`);
      const exited = events.find((e) => e.type === 'exited' && e.dynoId === s.dynoId);
      assert.equal(exited?.type === 'exited' && exited.status, 143);
      assert.ok(!events.some((e) => e.type === 'up' && e.dynoId === s.dynoId));
    });
  });
}

suite({
  name: 'stopping sandboxed dynos', skip: noSandbox,
  launcher: (logs) => createSandboxLauncher({ sandbox, stateDir: tempDir('cupaas-sandbox-state'), logs, logger: silentLogger }),
});
suite({ name: 'stopping plain dynos', skip: false, launcher: () => plainLauncher });
