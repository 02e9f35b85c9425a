/**
 * The `docker` runtime driver: one container per dyno from the release's
 * OCI image, on a bridge network per app, reached by the router at the
 * container's address. The engine's restart policy is off (the reconciler
 * decides what runs and when it restarts); a restarted control plane adopts
 * the containers a previous one left running. Decides nothing.
 */
import type { Container } from 'dockerode';
import { dynoSize } from '../../config/index.js';
import { connectEngine, engineStatus, homeLabel, LABEL, stackImageId, STACK_TAG, type Engine } from '../../images/index.js';
import { errorMessage } from '../../shared/errors.js';
import { delay } from '../../shared/wait.js';
import { prepareServicesAddress, type SandboxConfig } from '../local/sandbox/index.js';
import { memoryLine, R15, watchMemory } from '../local/sandbox/memory-watch.js';
import { waitUntilReady } from '../readiness.js';
import { createDynoTable, tableDyno, type TableDyno } from '../dyno-table.js';
import type { DynoSpec, RuntimeDriver, RuntimeDriverDeps, StopResult } from '../types.js';
import { attachClient, attachLines } from './attach.js';
import { containerOptions, webPort } from './container.js';
import { containerMemory } from './memory.js';
import { createAppNetworks } from './network.js';

const MB = 1024 * 1024;
/** R14 is checked this often and repeated at most this often, as for sandboxed dynos. */
const MEMORY_INTERVAL_MS = 2000;
const R14_EVERY_MS = 60_000;

export interface DockerDriverOptions {
  socketPath: string;
  /** The local sandbox's options: where the services address comes from. */
  sandbox?: SandboxConfig;
}

interface DockerDyno extends TableDyno {
  container: Container | null;
  /** Settles once the container's processes have exited (before it is removed). */
  exited: Promise<void>;
  markExited(): void;
  cleanups: Array<() => void>;
  output: Promise<void>;
  /** R15 was logged by the memory watch already (the exit must not log it again). */
  r15: boolean;
}

function newDyno(spec: DynoSpec): DockerDyno {
  let markExited!: () => void;
  return {
    ...tableDyno(spec, { host: null, isolation: 'container' }), container: null,
    exited: new Promise((r) => (markExited = r)), markExited, cleanups: [], output: Promise.resolve(), r15: false,
  };
}

/** Ignores the engine's "not running" / "no such container" answers to a kill or remove that came too late. */
const gone = (e: unknown): void => {
  if (![404, 409].includes((e as { statusCode?: number }).statusCode ?? 0)) throw e;
};

export function createDockerDriver(deps: RuntimeDriverDeps, opts: DockerDriverOptions): RuntimeDriver {
  const { config, logs, logger } = deps;
  const engine: Engine = connectEngine(opts.socketPath);
  const home = homeLabel(config.home);
  const networks = createAppNetworks(engine, home, logger);
  const table = createDynoTable<DockerDyno>();
  const { dynos, markUp } = table;
  const say = (spec: DynoSpec, message: string) => logs.write(spec.appId, { source: 'heroku', process: spec.name, message });

  const finish = async (d: DockerDyno, status: number, error?: string) => {
    if (d.finished) return;
    d.finished = true;
    d.markExited();
    d.probe.abort();
    d.cleanups.splice(0).forEach((c) => c());
    d.markLaunched();
    const { spec } = d.observed;
    if (d.container) {
      const info = await d.container.inspect().catch(() => null);
      if (info?.State.OOMKilled && !d.r15) {
        const size = dynoSize(spec.size);
        say(spec, memoryLine(size.memoryMb * size.hardLimitFactor * MB, size.memoryMb * MB));
        say(spec, R15);
      }
      await Promise.race([d.output, delay(1000)]);
      await d.container.remove({ force: true }).catch((e: unknown) => {
        if ((e as { statusCode?: number }).statusCode !== 404) logger.warn('container not removed', { dyno: spec.name, error: errorMessage(e) });
      });
    }
    if (![...dynos.values()].some((x) => x !== d && x.observed.spec.appId === spec.appId)) void networks.release(spec.appId);
    table.remove(d, status, error);
  };

  /** Follows a started (or adopted) container: its output, memory, exit and readiness. */
  const follow = async (d: DockerDyno, container: Container, attached: { ended: Promise<void> }) => {
    const { spec } = d.observed;
    d.container = container;
    d.output = attached.ended;
    const info = await container.inspect();
    const ip = Object.values(info.NetworkSettings.Networks ?? {})[0]?.IPAddress || null;
    if (spec.web) {
      d.observed.host = ip;
      d.observed.port = webPort(d.observed.spec);
    }
    const memory = info.State.Pid ? containerMemory(info.State.Pid) : null;
    if (memory) {
      const size = dynoSize(spec.size);
      const watch = watchMemory({
        cgroup: memory, quotaBytes: size.memoryMb * MB, hardBytes: size.memoryMb * size.hardLimitFactor * MB,
        intervalMs: MEMORY_INTERVAL_MS, r14EveryMs: R14_EVERY_MS, log: (m) => say(spec, m),
        // The kernel killed a process at the hard limit: the whole dyno goes, as on Heroku.
        onR15: () => {
          d.r15 = true;
          void container.kill({ signal: 'SIGKILL' }).catch(gone);
        },
      });
      d.cleanups.push(watch.stop);
    }
    container
      .wait()
      .then((r: { StatusCode: number }) => {
        d.markExited();
        return finish(d, r.StatusCode);
      })
      .catch((e: unknown) => finish(d, 1, `lost the container: ${errorMessage(e)}`));
    d.markLaunched();
    if (!info.State.Running) return;
    if (!spec.web) return markUp(d);
    if (ip && (await waitUntilReady(ip, webPort(spec), spec.healthCheckPath, d.probe.signal))) markUp(d);
  };

  const imageFor = async (spec: DynoSpec): Promise<string> => {
    const image = spec.artifact.image;
    if (!image) throw new Error('the release has no OCI image (the docker runtime runs images; redeploy to make one)');
    try {
      await engine.getImage(image.id).inspect();
      return image.id;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 404 || image.ref === image.id) throw new Error(`image ${image.id} not found`);
    }
    await new Promise<void>((resolve, reject) =>
      engine.pull(image.ref, {}, (err: Error | null, stream?: NodeJS.ReadableStream) =>
        err || !stream ? reject(err ?? new Error('no pull stream')) : engine.modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve())),
      ),
    );
    return image.ref;
  };

  const launch = async (d: DockerDyno) => {
    const { spec } = d.observed;
    const image = await imageFor(spec);
    const network = await networks.ensure(spec.appId);
    if (d.stopRequested) return finish(d, 143);
    const container = await engine.createContainer(containerOptions(spec, { image, home, network, name: `cupaas-${home}-${spec.dynoId}` }));
    d.container = container;
    const attachment = spec.oneOff?.attachment;
    const attached = attachment
      ? await attachClient(engine, container, attachment)
      : await attachLines(engine, container, (message) => logs.write(spec.appId, { source: 'app', process: spec.name, message }));
    await container.start();
    await follow(d, container, attached);
  };

  const terminate = async (d: DockerDyno, kill: boolean): Promise<StopResult> => {
    await d.launched;
    const c = d.container;
    if (!c || d.finished) {
      await d.done;
      return { forced: false };
    }
    let forced = false;
    if (kill) await c.kill({ signal: 'SIGKILL' }).catch(gone);
    else {
      await c.kill({ signal: 'SIGTERM' }).catch(gone);
      const timer = new AbortController();
      const exited = await Promise.race([d.exited.then(() => true), delay(config.dyno.stopTimeoutMs, timer.signal).then(() => false, () => true)]);
      timer.abort();
      if (!exited && !d.finished) {
        forced = true;
        await c.kill({ signal: 'SIGKILL' }).catch(gone);
      }
    }
    await d.done;
    return { forced };
  };

  /** Rebuilds a dyno from a running container a previous server started, and follows it. */
  const adoptContainer = async (id: string, labels: Record<string, string>) => {
    const container = engine.getContainer(id);
    const info = await container.inspect();
    // An attached one-off dyno's client was connected to the previous server: it is gone, so is the dyno (as on a hang-up).
    if (!info.State.Running || info.Config.OpenStdin) {
      await container.remove({ force: true }).catch(gone);
      return;
    }
    const env = Object.fromEntries(
      info.Config.Env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const).filter(([k]) => k !== 'PORT'),
    );
    const imageEnv = new Set((await engine.getImage(info.Image).inspect().catch(() => null))?.Config.Env ?? []);
    for (const kv of info.Config.Env) if (imageEnv.has(kv)) delete env[kv.slice(0, kv.indexOf('='))];
    const spec: DynoSpec = { ...(JSON.parse(labels[LABEL.spec] ?? '{}') as Omit<DynoSpec, 'env'>), env };
    const d = newDyno(spec);
    table.add(d);
    const attached = await attachLines(engine, container, (message) => logs.write(spec.appId, { source: 'app', process: spec.name, message }));
    await follow(d, container, attached);
  };

  return {
    name: 'docker',
    runs: 'image',
    async adopt() {
      const found = await engine.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL.home}=${home}`] }) });
      const mine = found.filter((c) => c.Labels[LABEL.dynoId] && !dynos.has(c.Labels[LABEL.dynoId] as string));
      await Promise.all(
        mine.map((c) =>
          adoptContainer(c.Id, c.Labels).catch((e: unknown) => logger.warn('container not adopted', { container: c.Id, error: errorMessage(e) })),
        ),
      );
      if (mine.length) logger.info('adopted the containers a previous server left', { count: mine.length });
    },
    servicesAddress: () =>
      opts.sandbox
        ? prepareServicesAddress({ sandbox: { ...opts.sandbox, mode: 'auto', privateNetwork: true } }, logger)
        : Promise.resolve(null),
    async doctor() {
      const status = await engineStatus(engine, opts.socketPath);
      if (!status.ok) return { ok: false, report: `docker: ${status.report}` };
      const stack = await stackImageId(engine);
      return {
        ok: true,
        report: `docker: ${status.report}\nstack image: ${stack ? `${STACK_TAG} (${stack.slice(0, 19)})` : `${STACK_TAG} missing (built at the first deploy, or run scripts/build-stack-image.sh)`}`,
      };
    },
    start(spec) {
      const d = newDyno(spec);
      table.add(d);
      launch(d).catch((e: unknown) => {
        logger.warn('dyno failed to launch', { app: spec.appId, dyno: spec.name, error: errorMessage(e) });
        void finish(d, 1, errorMessage(e));
      });
    },
    stop: (dynoId, stopOpts = {}) => table.stop(dynoId, (d) => terminate(d, stopOpts.kill ?? false)),
    list: table.list,
    subscribe: table.subscribe,
    close() {
      return table.close((id) => this.stop(id));
    },
  };
}
