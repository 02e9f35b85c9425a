import { PassThrough, type Readable } from 'node:stream';
import { resolveDynoSize } from '../config/index.js';
import type { App, LogSink, OneOffCommand, OneOffRunner } from '../domain/index.js';
import type { DynoEvent, DynoSpec, ObservedDyno, RuntimeDriver } from '../runtime/index.js';
import { conflict, invalid } from '../shared/errors.js';
import { newSecret } from '../shared/ids.js';
import { LOG_LINE_MAX, splitLines } from '../shared/lines.js';
import type { Logger } from '../shared/logger.js';
import { isoTime } from '../shared/time.js';
import { desiredApp, slugArtifact, type DesiredStore } from './desired.js';
import { dynoSpec } from './dyno-spec.js';
import { DEFAULT_DYNO_SIZE } from './formation.js';
import type { DesiredRelease } from './model.js';

/** Heroku stops one-off dynos after 24 hours. */
const MAX_TTL_MS = 24 * 3600_000;
/** How long an attached dyno waits for its client to connect to the rendezvous endpoint. */
const ATTACH_WAIT_MS = 60_000;

export interface OneOffRequest {
  app: App;
  command: string;
  /** `run` unless said otherwise; the dyno is `TYPE.N`. */
  type?: string;
  size?: string;
  env?: Readonly<Record<string, string>>;
  /**
   * A client will attach through the rendezvous endpoint: `tty` asks for a terminal,
   * `reportStatus` for the exit status at the end of the stream (`heroku run --exit-code`).
   */
  attach?: { tty: boolean; reportStatus: boolean };
  timeToLiveMs?: number;
  release?: Pick<DesiredRelease, 'id' | 'version' | 'artifact' | 'config'>;
}

/** A started (or, when attached, about to start) one-off dyno. */
export interface OneOffDyno {
  id: string;
  name: string;
  type: string;
  command: string;
  size: string;
  release: { id: string; version: number };
  /** The secret a client presents at the rendezvous endpoint; null when detached. */
  attachSecret: string | null;
  createdAt: string;
}

/** The client end of an attached dyno. */
export interface AttachClient {
  input: Readable;
  output(chunk: Buffer): void;
}

/** An attached dyno, as its client's connection sees it. */
export interface AttachedDyno {
  /** Settles with the exit status once the dyno is gone. */
  exited: Promise<number>;
  /** Whether the client asked for the exit status at the end of the stream. */
  reportStatus: boolean;
  /** Whether the dyno runs on a terminal. */
  tty: boolean;
  /** Stops the dyno (the client went away). */
  stop(): Promise<void>;
}

export interface OneOffDeps {
  store: DesiredStore;
  driver: Pick<RuntimeDriver, 'start' | 'stop' | 'list' | 'subscribe'>;
  logs: LogSink;
  logger: Logger;
}

interface Pending {
  spec: DynoSpec;
  tty: boolean;
  reportStatus: boolean;
  ttlMs: number;
  timer: NodeJS.Timeout;
}

/**
 * One-off dynos (`heroku run`, the release phase, scheduled jobs): started
 * on request from the current release (or a given slug), outside the
 * formation: the reconciler's plan never sees them, their exit is not a crash
 * and they are never restarted. An attached dyno starts only once its client
 * has connected, so no output is lost.
 */
export function createOneOffDynos(deps: OneOffDeps) {
  const { store, driver, logs } = deps;
  const pending = new Map<string, Pending>();
  const exits = new Map<string, (status: number) => void>();
  const ttlTimers = new Map<string, NodeJS.Timeout>();
  const say = (spec: DynoSpec, message: string) => logs.write(spec.appId, { source: 'heroku', process: spec.name, message });

  const onEvent = (e: DynoEvent) => {
    if (!e.dyno.spec.oneOff) return;
    if (e.type === 'up') return say(e.dyno.spec, 'State changed from starting to up');
    clearTimeout(ttlTimers.get(e.dynoId));
    ttlTimers.delete(e.dynoId);
    if (e.error) say(e.dyno.spec, `Failed to start process: ${e.error}`);
    say(e.dyno.spec, `Process exited with status ${e.status}`);
    say(e.dyno.spec, 'State changed from up to complete');
    exits.get(e.dynoId)?.(e.status);
    exits.delete(e.dynoId);
  };
  const unsubscribe = driver.subscribe(onEvent);

  /** `TYPE.N` with the smallest N no running or pending dyno of the app uses. */
  const nextName = (appId: string, type: string) => {
    const used = new Set([
      ...driver.list().filter((d) => d.spec.appId === appId).map((d) => d.spec.name),
      ...[...pending.values()].filter((p) => p.spec.appId === appId).map((p) => p.spec.name),
    ]);
    let n = 1;
    while (used.has(`${type}.${n}`)) n++;
    return `${type}.${n}`;
  };

  const launch = (spec: DynoSpec, ttlMs: number) => {
    say(spec, `Starting process with command \`${spec.command}\``);
    driver.start(spec);
    const timer = setTimeout(() => {
      say(spec, `Stopping process: time to live of ${Math.round(ttlMs / 1000)} seconds reached`);
      void driver.stop(spec.dynoId);
    }, ttlMs);
    timer.unref();
    ttlTimers.set(spec.dynoId, timer);
  };

  const exitOf = (dynoId: string) => new Promise<number>((resolve) => exits.set(dynoId, resolve));

  const prepare = (req: OneOffRequest, attachment?: DynoSpec['oneOff']): { spec: DynoSpec; ttlMs: number } => {
    const command = req.command.trim();
    if (!command) throw invalid('A one-off dyno needs a command, e.g. `cupaas run -- bash`.');
    const type = req.type ?? 'run';
    if (!/^[a-z][a-z0-9_-]{0,29}$/.test(type)) throw invalid(`"${type}" is not a dyno type: use lowercase letters, digits, - or _.`);
    const release = req.release ?? desiredApp(store, req.app).release;
    if (!release) throw conflict(`${req.app.name} has no release to run yet: deploy code first.`);
    const ttlMs = Math.min(req.timeToLiveMs ?? MAX_TTL_MS, MAX_TTL_MS);
    if (!(ttlMs > 0)) throw invalid('time_to_live must be a positive number of seconds.');
    const spec = dynoSpec({
      appId: req.app.id, appName: req.app.name, release: { ...release, healthCheckPath: null }, name: nextName(req.app.id, type),
      processType: type, command, size: resolveDynoSize(req.size ?? DEFAULT_DYNO_SIZE), env: req.env, oneOff: attachment ?? {},
    });
    return { spec, ttlMs };
  };

  const describe = (spec: DynoSpec, attachSecret: string | null): OneOffDyno => ({
    id: spec.dynoId, name: spec.name, type: spec.processType, command: spec.command, size: spec.size,
    release: { id: spec.releaseId, version: spec.releaseVersion }, attachSecret, createdAt: isoTime(),
  });

  const runner: OneOffRunner = {
    async runToExit(cmd: OneOffCommand) {
      let name = '';
      const lines = splitLines((line) => {
        logs.write(cmd.app.id, { source: 'app', process: name, message: line });
        cmd.onLine?.(line);
      }, LOG_LINE_MAX);
      const { spec, ttlMs } = prepare(
        {
          app: cmd.app, command: cmd.command, type: cmd.type, timeToLiveMs: cmd.timeToLiveMs,
          // A release not made yet (the release phase) runs its slug's archive or image; its tag comes with the release.
          ...(cmd.release ? { release: { ...cmd.release, artifact: slugArtifact(cmd.release.slug) } } : {}),
        },
        { attachment: { tty: false, input: emptyInput(), output: lines.write } },
      );
      name = spec.name;
      const exited = exitOf(spec.dynoId);
      launch(spec, ttlMs);
      const status = await exited;
      lines.end();
      return { name, status };
    },
  };

  return {
    ...runner,

    /** Starts a dyno, or with `attach` reserves it until its client connects. */
    start(req: OneOffRequest): OneOffDyno {
      const { spec, ttlMs } = prepare(req);
      if (!req.attach) {
        launch(spec, ttlMs);
        return describe(spec, null);
      }
      const secret = newSecret();
      const timer = setTimeout(() => {
        pending.delete(secret);
        say(spec, 'Error R13 (Attach error) -> Failed to attach to process: no client connected');
      }, ATTACH_WAIT_MS);
      timer.unref();
      pending.set(secret, { spec, tty: req.attach.tty, reportStatus: req.attach.reportStatus, ttlMs, timer });
      return describe(spec, secret);
    },

    /**
     * Connects a client to the dyno reserved under `secret` and starts it;
     * undefined for an unknown or used secret.
     */
    attach(secret: string, client: AttachClient): AttachedDyno | undefined {
      const p = pending.get(secret);
      if (!p) return undefined;
      pending.delete(secret);
      clearTimeout(p.timer);
      const spec: DynoSpec = { ...p.spec, oneOff: { attachment: { tty: p.tty, input: client.input, output: client.output } } };
      const exited = exitOf(spec.dynoId);
      launch(spec, p.ttlMs);
      return {
        exited, reportStatus: p.reportStatus, tty: p.tty,
        stop: async () => {
          await driver.stop(spec.dynoId);
        },
      };
    },

    /** Stops a running one-off dyno by name or id (`ps:stop run.1`); false when the app has none such. */
    async stop(appId: string, key: string): Promise<boolean> {
      const d = driver.list().find((x: ObservedDyno) => x.spec.appId === appId && x.spec.oneOff && (x.spec.name === key || x.spec.dynoId === key));
      if (!d) return false;
      say(d.spec, 'Stopping all processes with SIGTERM');
      await driver.stop(d.spec.dynoId);
      return true;
    },

    /** Stops every one-off dyno of an app (it was destroyed) and forgets its pending attachments. */
    async stopApp(appId: string): Promise<void> {
      for (const [secret, p] of pending) {
        if (p.spec.appId !== appId) continue;
        clearTimeout(p.timer);
        pending.delete(secret);
      }
      const mine = driver.list().filter((d) => d.spec.appId === appId && d.spec.oneOff);
      await Promise.all(mine.map((d) => driver.stop(d.spec.dynoId)));
    },

    /** Forgets pending attachments and timers (the driver stops the dynos themselves). */
    close(): void {
      unsubscribe();
      for (const p of pending.values()) clearTimeout(p.timer);
      pending.clear();
      for (const t of ttlTimers.values()) clearTimeout(t);
      ttlTimers.clear();
    },
  };
}

export type OneOffDynos = ReturnType<typeof createOneOffDynos>;

const emptyInput = (): Readable => {
  const s = new PassThrough();
  s.end();
  return s;
};
