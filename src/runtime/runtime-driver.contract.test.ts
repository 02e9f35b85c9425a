/**
 * The contract every runtime driver must meet, run against each registered
 * driver. A driver that cannot meet a case declares the skip and its reason.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DEFAULT_STACK_PATH } from '../config/index.js';
import { newId } from '../shared/ids.js';
import { silentLogger } from '../shared/logger.js';
import { waitFor } from '../shared/wait.js';
import { collectingLogSink, FIXTURE_PROCESS_TYPES, packFixtureSlug, running } from '../../test/support/runtime-fixtures.js';
import { RUNTIME_DRIVERS, type DynoEvent, type DynoSpec, type RuntimeDriver } from './index.js';

const SKIPS: Readonly<Record<string, Readonly<Record<string, string>>>> = {};

process.env.CUPAAS_CONTRACT_CANARY = 'must-not-leak';

for (const [name, factory] of Object.entries(RUNTIME_DRIVERS)) {
  describe(`RuntimeDriver contract: ${name}`, async () => {
    const home = mkdtempSync(join(tmpdir(), `cupaas-rt-${name}-`));
    const logs = collectingLogSink();
    const config = {
      home,
      stackPath: DEFAULT_STACK_PATH,
      dyno: { bootTimeoutMs: 5000, stopTimeoutMs: 800, crashBackoffBaseMs: 100, crashBackoffMaxMs: 1000 },
    };
    const drivers: RuntimeDriver[] = [];
    const newDriver = () => {
      const d = factory({ config, logs, logger: silentLogger });
      drivers.push(d);
      return d;
    };
    const driver = newDriver();
    const events: DynoEvent[] = [];
    driver.subscribe((e) => events.push(e));
    const slug = await packFixtureSlug(home);
    after(async () => {
      for (const d of drivers) await d.close();
      rmSync(home, { recursive: true, force: true });
    });

    const spec = (over: Partial<DynoSpec> = {}): DynoSpec => {
      const type = over.processType ?? 'web';
      return {
        dynoId: newId(), appId: newId(), name: `${type}.1`, processType: type, releaseId: 'rel-1',
        releaseVersion: 2, slugChecksum: slug.checksum, command: FIXTURE_PROCESS_TYPES[type] as string,
        size: 'standard-1x', env: { DYNO: `${type}.1`, CUPAAS_APP: 'fixture', CUPAAS_RELEASE_VERSION: '2' },
        web: type === 'web', healthCheckPath: null, ...over,
      };
    };
    const exitOf = (dynoId: string) =>
      waitFor(() => events.find((e): e is Extract<DynoEvent, { type: 'exited' }> => e.type === 'exited' && e.dynoId === dynoId), {
        what: 'dyno exit',
      });
    const upDyno = async (s: DynoSpec) => {
      driver.start(s);
      assert.equal(driver.list().find((d) => d.spec.dynoId === s.dynoId)?.state, 'starting');
      await waitFor(() => events.some((e) => e.type === 'up' && e.dynoId === s.dynoId), { what: `${s.name} up` });
      const d = driver.list().find((x) => x.spec.dynoId === s.dynoId);
      assert.ok(d);
      return d;
    };
    /** The fixture worker logs its child's pid once its SIGTERM handler is in place. */
    const workerChildPid = async (s: DynoSpec) => {
      const line = await waitFor(() => logs.lines.find((l) => l.appId === s.appId && l.message.includes('child=')), {
        what: 'worker line',
      });
      return Number(/child=(\d+)/.exec(line.message)?.[1]);
    };
    const skip = (c: string) => SKIPS[name]?.[c] ?? false;

    test('a web dyno is up once it accepts on $PORT, with the dyno env and no platform env', { skip: skip('env') }, async () => {
      const s = spec();
      const d = await upDyno(s);
      assert.equal(d.state, 'up');
      assert.ok(d.port && d.host);
      assert.equal(typeof d.isolation, 'string');
      const env = (await (await fetch(`http://${d.host}:${d.port}/env`)).json()) as Record<string, string>;
      assert.equal(env.DYNO, 'web.1');
      assert.equal(env.PORT, String(d.port));
      assert.equal(env.CUPAAS_APP, 'fixture');
      assert.equal(env.CUPAAS_RELEASE_VERSION, '2');
      assert.equal(env.FROM_PROFILE, 'yes-then-profile', '.profile.d runs before .profile');
      assert.equal(env.CUPAAS_CONTRACT_CANARY, undefined);
      assert.equal(env.CUPAAS_HOME, undefined);
      await waitFor(() => logs.lines.some((l) => l.source === 'app' && l.process === 'web.1' && l.message === `listening on ${d.port}`), {
        what: 'output line',
      });
      await driver.stop(s.dynoId);
      assert.equal(driver.list().some((x) => x.spec.dynoId === s.dynoId), false);
      assert.equal((await exitOf(s.dynoId)).requested, true);
    });

    test('each dyno has its own writable, ephemeral app dir', { skip: skip('filesystem') }, async () => {
      const a = await upDyno(spec());
      const b = await upDyno(spec({ name: 'web.2', env: { DYNO: 'web.2' } }));
      assert.equal(await (await fetch(`http://${a.host}:${a.port}/write`)).text(), 'ok');
      assert.equal(await (await fetch(`http://${a.host}:${a.port}/read`)).text(), 'web.1');
      assert.equal(await (await fetch(`http://${b.host}:${b.port}/read`)).text(), 'none');
      await driver.stop(a.spec.dynoId);
      const again = await upDyno(spec());
      assert.equal(await (await fetch(`http://${again.host}:${again.port}/read`)).text(), 'none');
      await Promise.all([driver.stop(b.spec.dynoId), driver.stop(again.spec.dynoId)]);
    });

    test('a worker is up once started, and stop ends its child processes too', { skip: skip('group') }, async () => {
      const s = spec({ processType: 'worker' });
      const d = await upDyno(s);
      assert.equal(d.port, null);
      const childPid = await workerChildPid(s);
      assert.ok(running(childPid));
      assert.deepEqual(await driver.stop(s.dynoId), { forced: false });
      assert.equal(running(childPid), false);
    });

    test('usage, where a driver measures it, counts the whole dyno and ends with it', { skip: skip('usage') || (!driver.usage && 'this driver does not measure usage') }, async () => {
      const s = spec({ processType: 'worker' });
      await upDyno(s);
      await workerChildPid(s);
      const u = driver.usage?.(s.dynoId);
      // The worker and its `sleep` child: more than one small process's memory.
      assert.ok(u && u.rssBytes > 4 * 1024 * 1024 && u.cpuSeconds >= 0, JSON.stringify(u));
      await driver.stop(s.dynoId);
      assert.equal(driver.usage?.(s.dynoId), null);
    });

    test('an exit is reported with its status and not as requested', { skip: skip('crash') }, async () => {
      const s = spec({ env: { DYNO: 'web.1', MODE: 'crash' } });
      driver.start(s);
      const e = await exitOf(s.dynoId);
      assert.equal(e.status, 3);
      assert.equal(e.requested, false);
      assert.equal(driver.list().some((x) => x.spec.dynoId === s.dynoId), false);
    });

    test('processes that ignore SIGTERM are killed after the stop timeout', { skip: skip('stop-timeout') }, async () => {
      const s = spec({ processType: 'worker', env: { DYNO: 'worker.1', IGNORE_TERM: '1' } });
      await upDyno(s);
      await workerChildPid(s);
      const t0 = Date.now();
      assert.deepEqual(await driver.stop(s.dynoId), { forced: true });
      assert.ok(Date.now() - t0 >= config.dyno.stopTimeoutMs - 50);
      assert.ok([137, 143].includes((await exitOf(s.dynoId)).status));
    });

    test('stop with kill does not wait for SIGTERM handling', { skip: skip('kill') }, async () => {
      const s = spec({ processType: 'worker', env: { DYNO: 'worker.1', IGNORE_TERM: '1' } });
      await upDyno(s);
      await workerChildPid(s);
      const t0 = Date.now();
      await driver.stop(s.dynoId, { kill: true });
      assert.ok(Date.now() - t0 < config.dyno.stopTimeoutMs);
    });

    test('a dyno that cannot be launched is reported as exited with an error', { skip: skip('launch-failure') }, async () => {
      const s = spec({ slugChecksum: `SHA256:${'0'.repeat(64)}` });
      driver.start(s);
      const e = await exitOf(s.dynoId);
      assert.equal(e.requested, false);
      assert.ok(e.error);
    });

    test('recover stops dynos a previous driver on the same home left running', { skip: skip('recover') }, async () => {
      const s = spec({ processType: 'worker' });
      await upDyno(s);
      const childPid = await workerChildPid(s);
      const next = newDriver();
      await next.recover();
      assert.equal(running(childPid), false);
      await exitOf(s.dynoId);
    });
  });
}
