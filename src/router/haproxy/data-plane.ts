import { mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from '../../shared/logger.js';
import { freePort } from '../../shared/net.js';
import { delay, waitFor } from '../../shared/wait.js';
import type { AppRoute, DataPlane, DataPlaneFactory, DataPlaneOptions } from '../data-plane.js';
import { createCertificateSync, sslCommandFine } from './certificates.js';
import { parseShowMap, readConfig, readSaved, writeSaved, type SavedPlane } from './adopt.js';
import { defaultThreads, FILES, renderConfig, routerFiles, type HaproxyLayout } from './config.js';
import { parseRequestLine, type LogContext } from './log-record.js';
import { createLogReceiver } from './log-stream.js';
import { adoptHaproxy, haproxyMissing, leftRunning, runHaproxy, superviseHaproxy, type HaproxyProcess, type LeftHaproxy } from './process.js';
import { openRuntimeApi } from './runtime-api.js';
import { createSlotTable, NO_SLOT } from './slots.js';

/** The HAProxy plane applies state asynchronously (over the Runtime API); `settled` says when it has. */
export interface HaproxyDataPlane extends DataPlane {
  /** Resolves once HAProxy has applied every host, app and dyno change made so far. */
  settled(): Promise<void>;
}

export interface HaproxyPlaneOptions {
  /** Where haproxy.cfg, maps, pages and the Runtime API socket live (the platform uses `$CUPAAS_HOME/router`). */
  dir: string;
  logger: Logger;
  binary?: string;
  /** HAProxy's threads (`nbthread`); default: half the CPUs, at least one (see `defaultThreads`). */
  threads?: number;
  /** Backends pre-allocated for apps; one app per slot (see docs/design/004-haproxy-data-plane.md). */
  appSlots?: number;
  /** Server templates per backend: the most web dynos one app can be balanced over. */
  dynoSlots?: number;
  /**
   * After adopting a running HAProxy, how long an app keeps the dynos it was
   * serving while the control plane still reports none (its runtime is
   * still adopting them). Default 60 s.
   */
  adoptHoldMs?: number;
}

/** Answers that mean a command worked: nothing, or a note that an address or port changed. */
const fine = (answer: string) => answer === '' || /changed|no need to change/i.test(answer);
/** A hostname that is safe as one token of a Runtime API command. */
const SAFE_HOST = /^[a-z0-9*_.-]+$/;

/**
 * The production data plane: one supervised HAProxy process routing by Host
 * through a map file and balancing over pre-allocated server templates. It is
 * driven only through the Runtime API (never reloaded); its per-request log
 * lines come back over a loopback TCP stream and are handed to the control plane.
 */
export function createHaproxyDataPlane(o: HaproxyPlaneOptions): (...args: Parameters<DataPlaneFactory>) => HaproxyDataPlane {
  return (options, events) => {
    const newSlotTable = () => createSlotTable(o.appSlots ?? 64, o.dynoSlots ?? 32);
    let slots = newSlotTable();
    const api = openRuntimeApi(join(o.dir, 'haproxy.sock'));
    const routes = new Map<string, AppRoute>();
    let hosts: ReadonlyMap<string, string> = new Map();
    const applied = new Map<string, string>();
    const probing = new Set<string>();
    let ready = false;
    let closed = false;
    /** The answer to the latest change; answers come in order, so once it is in, every earlier change is applied. */
    let pushed: Promise<unknown> = Promise.resolve();
    let supervisor: ReturnType<typeof superviseHaproxy> | undefined;
    /** Ports the running config was rendered with (saved for adoption). */
    let ports: Omit<SavedPlane, 'slots'> | undefined;
    /** Apps still served by an adopted HAProxy's seats until the control plane names their dynos. */
    const holding = new Set<string>();
    let holdTimer: NodeJS.Timeout | undefined;
    const certs = createCertificateSync({
      platformCert: join(o.dir, FILES.platformCert), crtList: join(o.dir, FILES.crtList), virtualDir: join(o.dir, 'sni'),
    });

    /**
     * One line per change, so HAProxy applies the commands of one change together and in order; a change
     * larger than the CLI's line buffer (a restatement of every slot) goes as several lines, still in order.
     */
    const send = (commands: readonly string[]) => {
      if (!ready || !commands.length) return;
      if (ports) writeSaved(o.dir, { ...ports, slots: slots.snapshot() });
      for (const line of joinedLines(commands, MAX_LINE)) {
        pushed = api.send(line).then(
          (answer) => answer.split(/\n\s*\n/).every((a) => fine(a.trim())) || o.logger.warn('router: haproxy refused a command', { line, answer }),
          (e: Error) => !closed && o.logger.warn('router: haproxy command not applied', { line, error: e.message }),
        );
      }
    };

    /** Certificate commands, one line each (payloads cannot be joined), in order. */
    const sendEach = (lines: readonly string[]) => {
      if (!ready) return;
      for (const line of lines) {
        pushed = api.send(line).then(
          (answer) => sslCommandFine(answer) || o.logger.warn('router: haproxy refused a certificate command', { command: line.split('\n')[0], answer }),
          (e: Error) => !closed && o.logger.warn('router: haproxy certificate command not applied', { command: line.split('\n')[0], error: e.message }),
        );
      }
    };

    const slotFor = (appId: string): string => {
      const slot = slots.claim(appId);
      if (slot) return slot;
      o.logger.error('router: every haproxy backend slot is taken; the app answers H10 until one is free', {
        appId, fix: 'raise the slot count (appSlots) and restart the platform, or use CUPAAS_ROUTER_DATA_PLANE=node',
      });
      return NO_SLOT;
    };

    /** Commands that make hosts.map equal the host table (diffed against what HAProxy has). */
    const hostCommands = (): string[] => {
      const want = new Map<string, string>();
      for (const [host, appId] of hosts) if (SAFE_HOST.test(host)) want.set(host, slotFor(appId));
      const commands: string[] = [];
      for (const host of applied.keys()) {
        if (want.has(host)) continue;
        commands.push(`del map ${FILES.hosts} ${host}`);
        applied.delete(host);
      }
      for (const [host, slot] of want) {
        const now = applied.get(host);
        if (now === slot) continue;
        commands.push(`${now === undefined ? 'add' : 'set'} map ${FILES.hosts} ${host} ${slot}`);
        applied.set(host, slot);
      }
      return commands;
    };

    const routeCommands = (route: AppRoute): string[] => {
      if (slotFor(route.appId) === NO_SLOT) return [];
      // An adopted app keeps its seats until its dynos are named again (or it goes into maintenance or to web=0).
      if (holding.has(route.appId) && !route.backends.length && route.webWanted && !route.maintenance) return [];
      holding.delete(route.appId);
      const { commands, overflow } = slots.route(route);
      if (overflow) o.logger.warn('router: more web dynos than haproxy server slots; the rest get no traffic', { appId: route.appId, overflow });
      return commands;
    };

    /** A request needed connect retries: find which of the app's dynos refuse and report them for quarantine. */
    const probe = (appId: string) => {
      for (const b of routes.get(appId)?.backends ?? []) {
        if (probing.has(b.dynoId)) continue;
        probing.add(b.dynoId);
        const s = connect({ host: b.host, port: b.port, timeout: options.connectTimeoutMs });
        const done = (refused: boolean) => {
          s.destroy();
          probing.delete(b.dynoId);
          if (refused) events.onBackendFailed(appId, b.dynoId);
        };
        s.once('connect', () => done(false));
        s.once('timeout', () => done(true));
        s.once('error', () => done(true));
      }
    };

    const logContext: LogContext = { resolve: slots.resolve, appOfHost: (h) => hosts.get(h) };
    const logs = createLogReceiver((line) => {
      const parsed = parseRequestLine(line, logContext);
      if (!parsed) return;
      events.onRequest(parsed.record);
      if (parsed.retried || parsed.record.error?.code === 'H21') probe(parsed.record.appId);
    });

    /**
     * Takes over the HAProxy a killed server left running when it runs the
     * config this server would write (same ports, slots and timeouts): its
     * slot table is restored, its hosts read back, and the current state
     * restated through the Runtime API. No reload, no restart: connections
     * in flight are untouched. Null when it cannot be adopted.
     */
    const adopt = async (left: LeftHaproxy): Promise<{ port: number; tlsPort?: number } | null> => {
      const saved = readSaved(o.dir);
      if (!saved || (options.tlsPort === null) !== (saved.tlsPort === null)) return null;
      const port = options.port || saved.port;
      const tlsPort = options.tlsPort === null ? null : options.tlsPort || saved.tlsPort;
      if (readConfig(o.dir) !== renderConfig(layout(options, o, port, tlsPort, saved.logPort))) return null;
      const version = await Promise.race([api.send('show version').catch(() => null), delay(5000).then(() => null)]);
      if (version === null) return null;
      if (!slots.restore(saved.slots)) return null;
      try {
        await logs.listen(saved.logPort);
      } catch {
        slots = newSlotTable();
        return null;
      }
      ports = { port, tlsPort, logPort: saved.logPort };
      const running = adoptHaproxy(left, o.dir);
      // The first "launch" is the adopted process; if it dies later, a fresh one is started as usual.
      supervisor = superviseHaproxy(async () => (supervisor?.pid() === undefined ? running : launch()), o.logger);
      await supervisor.launch();
      ready = true;
      applied.clear();
      for (const [host, slot] of parseShowMap(await api.send(`show map ${FILES.hosts}`))) applied.set(host, slot);
      for (const appId of routes.keys()) if (slots.serving(appId)) holding.add(appId);
      send([...slots.restate(), ...hostCommands(), ...[...routes.values()].flatMap(routeCommands)]);
      holdTimer = setTimeout(() => {
        const held = [...holding];
        holding.clear();
        send(held.flatMap((id) => { const r = routes.get(id); return r ? routeCommands(r) : []; }));
      }, o.adoptHoldMs ?? 60_000);
      holdTimer.unref();
      if (tlsPort !== null) {
        certs.reset();
        certs.present((await api.send('show ssl cert')).split('\n'));
        sendEach(certs.commands());
      }
      o.logger.info('router: adopted the running haproxy', { pid: left.pid, port });
      return tlsPort === null ? { port } : { port, tlsPort };
    };

    /** Starts HAProxy and brings it to the current state; a restarted process starts from the config's defaults. */
    const launch = async (): Promise<HaproxyProcess> => {
      const p = runHaproxy(o.binary ?? 'haproxy', o.dir);
      let exit: string | null = null;
      void p.exited.then((why) => (exit = why));
      try {
        await waitFor(async () => exit !== null || api.send('show version').then(() => true, () => false), { what: 'haproxy to start' });
      } catch (e) {
        await p.stop();
        throw e;
      }
      if (exit !== null) throw new Error(`haproxy did not start (${exit}): ${p.stderr() || 'no output'}`);
      ready = true;
      applied.clear();
      send([...slots.replay(), ...hostCommands()]);
      if (options.tlsPort !== null) {
        certs.reset();
        sendEach(certs.commands());
      }
      return p;
    };

    return {
      async start() {
        const missing = haproxyMissing(o.binary);
        if (missing) throw new Error(missing);
        try {
          const left = leftRunning(o.dir);
          if (left !== null) {
            const adopted = await adopt(left);
            if (adopted) return adopted;
            o.logger.warn('router: a previous haproxy runs another config; replacing it', { pid: left.pid });
            await adoptHaproxy(left, o.dir).stop();
          }
          const logPort = await logs.listen(0);
          // HAProxy binds the port itself, so asked for 0 it must be told a free one.
          const port = options.port || (await freePort(options.listen));
          const tlsPort = options.tlsPort === null ? null : options.tlsPort || (await freePort(options.listen));
          writeFiles(o.dir, layout(options, o, port, tlsPort, logPort));
          ports = { port, tlsPort, logPort };
          if (tlsPort !== null) certs.writeFiles();
          supervisor = superviseHaproxy(launch, o.logger);
          await supervisor.launch();
          return tlsPort === null ? { port } : { port, tlsPort };
        } catch (e) {
          await this.close();
          throw e;
        }
      },
      setHosts(next) {
        hosts = next;
        send(hostCommands());
      },
      setCertificates(next) {
        certs.set(next);
        // Before start, the table is only kept: start writes the platform file and launch replays the rest.
        if (ready) sendEach(certs.commands());
      },
      setApp(route) {
        routes.set(route.appId, route);
        send(routeCommands(route));
      },
      removeApp(appId) {
        routes.delete(appId);
        send(slots.release(appId));
      },
      settled: () => pushed.then(() => undefined),
      async whenIdle(dynoId) {
        const seat = slots.seatOf(dynoId);
        if (!seat || !ready) return;
        if (seat.live) send([`set server ${seat.backend}/${seat.server} state drain`]);
        // Polls HAProxy's session count for the seat until it is idle, the seat serves another dyno, or the plane closes.
        while (!closed && slots.seatOf(dynoId)?.server === seat.server) {
          const answer = await api.send(`show stat ${seat.backend} 4 -1`).catch(() => '');
          if (currentSessions(answer, seat.server) === 0) return;
          await delay(100);
        }
      },
      async close() {
        closed = true;
        ready = false;
        clearTimeout(holdTimer);
        await supervisor?.stop();
        api.close();
        logs.close();
        removeFiles(o.dir);
      },
    };
  };
}

const layout = (options: DataPlaneOptions, o: HaproxyPlaneOptions, port: number, tlsPort: number | null, logPort: number): HaproxyLayout => ({
  listen: options.listen, port, tlsPort, crtList: join(o.dir, FILES.crtList), socketPath: join(o.dir, 'haproxy.sock'), logPort,
  appSlots: o.appSlots ?? 64, dynoSlots: o.dynoSlots ?? 32, threads: o.threads ?? defaultThreads(availableParallelism()),
  connectTimeoutMs: options.connectTimeoutMs, firstByteTimeoutMs: options.firstByteTimeoutMs,
});

/** Well under HAProxy's CLI buffer (tune.bufsize, 16 KB by default). */
const MAX_LINE = 8000;

/** Commands joined with `;` into lines of at most `max` characters, in order. */
export function joinedLines(commands: readonly string[], max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const c of commands) {
    if (line && line.length + 1 + c.length > max) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line};${c}` : c;
  }
  if (line) lines.push(line);
  return lines;
}

/** `scur` (current sessions) of one server from `show stat` CSV; null when not found. */
export function currentSessions(csv: string, server: string): number | null {
  const [head, ...rows] = csv.split('\n');
  const column = (head ?? '').replace(/^# /, '').split(',').indexOf('scur');
  const row = rows.map((r) => r.split(',')).find((c) => c[1] === server);
  return row && column >= 0 ? Number(row[column]) : null;
}

function writeFiles(dir: string, l: HaproxyLayout): void {
  for (const [name, content] of routerFiles(l)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, name), content, { mode: 0o600 });
  }
}

/** Removes what the plane wrote, and the directory when nothing else is left in it. */
function removeFiles(dir: string): void {
  for (const name of [...Object.values(FILES), `${FILES.state}.tmp`, 'haproxy.sock']) rmSync(join(dir, name), { recursive: true, force: true });
  try {
    rmdirSync(dir);
  } catch {
    // Not empty: other files live there; they are not ours to remove.
  }
}
