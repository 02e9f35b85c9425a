/**
 * The `swarm` runtime driver: each dyno is a Swarm service with one replica
 * (docs/design/006), created on a manager through the Engine API. Dyno state
 * comes from the manager's task list (a task is a dyno, on some node), web
 * dynos are reached at their node's address and the task's host-mode port,
 * output comes from the service logs of every node. Decides nothing: the
 * reconciler says what runs; the swarm only places it.
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { errorMessage } from '../../shared/errors.js';
import { delay, waitFor } from '../../shared/wait.js';
import { isReady } from '../readiness.js';
import type { DynoEvent, DynoSpec, ObservedDyno, RuntimeDriver, RuntimeDriverDeps, StopResult } from '../types.js';
import { connectCluster, type EngineAddress } from './cluster.js';
import { appNameOf, dynoOfService, serviceForDyno, type DynoImage } from './dyno-service.js';
import { findNode, nodeViews, type NodeView } from './nodes.js';
import { LABEL, nodesToAvoid } from './service-spec.js';
import { newestTask, taskPhase, type SwarmNode, type SwarmTask } from './tasks.js';

export { parseDockerHost, type EngineAddress } from './cluster.js';
export type { NodeView } from './nodes.js';
export type { DynoImage } from './dyno-service.js';

export interface SwarmDriverOptions {
  engine: EngineAddress;
  /** The image a dyno runs; null when its release has none (the dyno then fails to launch, saying so). */
  imageOf(spec: DynoSpec): DynoImage | null;
  /** How often the manager's task list is read. */
  pollMs?: number;
}

/** What the swarm driver offers beyond the runtime contract: the cluster's nodes. */
export interface SwarmRuntime extends RuntimeDriver {
  nodes(): Promise<NodeView[]>;
  /** What `docker swarm join` needs on a new worker. */
  joinCommand(): Promise<{ token: string; managers: string[] }>;
  setNodeAvailability(node: string, availability: 'active' | 'pause' | 'drain'): Promise<NodeView>;
  /** Stops watching and leaves every dyno running, for the next control plane to adopt. */
  detach(): void;
}

interface SwarmDyno {
  observed: ObservedDyno;
  service: Promise<string | null>;
  nodeId: string | null;
  probing: boolean;
  finished: boolean;
  /** Set while a stop waits for the task to end. */
  ended: number | null;
  closeLogs: () => void;
}

export function createSwarmDriver(deps: RuntimeDriverDeps, options: SwarmDriverOptions): SwarmRuntime {
  const { config, logs, logger } = deps;
  const cluster = connectCluster(options.engine);
  // One swarm may serve several control planes: each finds its own services by this id.
  const platformId = createHash('sha256').update(config.home).digest('hex').slice(0, 16);
  const dynos = new Map<string, SwarmDyno>();
  const listeners = new Set<(e: DynoEvent) => void>();
  const closing = new AbortController();
  let nodes = new Map<string, SwarmNode>();

  const emit = (e: DynoEvent) => listeners.forEach((l) => l(e));
  const setState = (d: SwarmDyno, state: ObservedDyno['state']) => {
    d.observed.state = state;
    d.observed.since = Date.now();
  };

  const finish = (d: SwarmDyno, status: number, requested: boolean, error?: string) => {
    if (d.finished) return;
    d.finished = true;
    d.closeLogs();
    dynos.delete(d.observed.spec.dynoId);
    void d.service
      .then((id) => id && cluster.removeService(id))
      .catch((e: unknown) => logger.warn('swarm service not removed', { dyno: d.observed.spec.name, error: errorMessage(e) }));
    emit({ type: 'exited', dynoId: d.observed.spec.dynoId, dyno: { ...d.observed }, status, requested, ...(error ? { error } : {}) });
  };

  const followLogs = (d: SwarmDyno, serviceId: string, sinceMs: number) => {
    const { appId, name } = d.observed.spec;
    cluster.followLogs(serviceId, Math.floor(sinceMs / 1000)).then(
      (stream) => {
        if (d.finished) return void stream.destroy();
        d.closeLogs = () => stream.destroy();
        createInterface({ input: stream, crlfDelay: Infinity }).on('line', (message) => logs.write(appId, { source: 'app', process: name, message }));
      },
      (e: unknown) => logger.warn('swarm logs not followed', { dyno: name, error: errorMessage(e) }),
    );
  };

  const track = (spec: DynoSpec, service: Promise<string | null>, startedAt: number, logsSince: number): SwarmDyno => {
    const observed: ObservedDyno = { spec, state: 'starting', startedAt, since: Date.now(), host: null, port: null, isolation: 'swarm' };
    const d: SwarmDyno = { observed, service, nodeId: null, probing: false, finished: false, ended: null, closeLogs: () => undefined };
    dynos.set(spec.dynoId, d);
    service.then(
      (id) => id && followLogs(d, id, logsSince),
      (e: unknown) => finish(d, 1, false, errorMessage(e)),
    );
    return d;
  };

  const createService = async (spec: DynoSpec, startedAt: number): Promise<string> => {
    const image = options.imageOf(spec);
    if (!image) throw new Error(`release v${spec.releaseVersion} has no image for the swarm nodes: deploy it again to build and push one`);
    const network = await cluster.network(`cupaas-${appNameOf(spec)}`, { [LABEL.platform]: platformId, [LABEL.appId]: spec.appId });
    const eligible = [...nodes.values()].filter((n) => n.Status?.State === 'ready' && n.Spec?.Availability === 'active').map((n) => n.ID as string);
    const sameType = [...dynos.values()].filter((x) => x.observed.spec.appId === spec.appId && x.observed.spec.processType === spec.processType);
    const avoidNodeIds = nodesToAvoid(eligible, sameType.flatMap((x) => x.nodeId ?? []));
    return cluster.createService(
      serviceForDyno(spec, image, startedAt, { platformId, network, avoidNodeIds, stopTimeoutMs: config.dyno.stopTimeoutMs, bootTimeoutMs: config.dyno.bootTimeoutMs }),
    );
  };

  /** Web dynos are up once they answer on node address + published port, as the router will reach them. */
  const probe = (d: SwarmDyno) => {
    const { host, port, spec } = d.observed;
    if (d.probing || !host || !port) return;
    d.probing = true;
    void isReady(host, port, spec.healthCheckPath).then((ok) => {
      d.probing = false;
      if (ok && !d.finished && d.observed.state === 'starting') {
        setState(d, 'up');
        emit({ type: 'up', dynoId: spec.dynoId, dyno: { ...d.observed } });
      }
    });
  };

  const observe = async (d: SwarmDyno, byService: ReadonlyMap<string, SwarmTask[]>) => {
    const id = await d.service;
    if (!id || d.finished) return;
    const phase = taskPhase(newestTask(byService.get(id) ?? []), nodes);
    d.nodeId = phase.nodeId;
    if (phase.phase === 'exited') {
      if (d.observed.state === 'stopping') d.ended = phase.status;
      else finish(d, phase.status, false, phase.error ?? undefined);
    } else if (phase.phase === 'running' && d.observed.state === 'starting') {
      d.observed.host = phase.host;
      d.observed.port = d.observed.spec.web ? phase.port : null;
      if (!d.observed.spec.web) {
        setState(d, 'up');
        emit({ type: 'up', dynoId: d.observed.spec.dynoId, dyno: { ...d.observed } });
      } else probe(d);
    } else if (phase.phase === 'starting' && phase.note) {
      logger.debug('swarm task pending', { dyno: d.observed.spec.name, note: phase.note });
    }
  };

  const poll = async () => {
    const [tasks, nodeList] = await Promise.all([cluster.tasks(platformId), cluster.nodes()]);
    nodes = new Map(nodeList.map((n) => [n.ID as string, n]));
    const byService = new Map<string, SwarmTask[]>();
    for (const t of tasks) byService.set(t.ServiceID as string, [...(byService.get(t.ServiceID as string) ?? []), t]);
    await Promise.all([...dynos.values()].map((d) => observe(d, byService)));
  };

  void (async () => {
    while (!closing.signal.aborted) {
      await poll().catch((e: unknown) => logger.warn('swarm manager not reachable', { error: errorMessage(e) }));
      await delay(options.pollMs ?? 500, closing.signal).catch(() => undefined);
    }
  })();

  const stop = async (dynoId: string): Promise<StopResult> => {
    const d = dynos.get(dynoId);
    if (!d) return { forced: false };
    setState(d, 'stopping');
    const id = await d.service.catch(() => null);
    if (id) {
      await cluster.updateService(id, (s) => ({ ...s, Mode: { Replicated: { Replicas: 0 } } }));
      await waitFor(() => d.ended !== null || d.finished || closing.signal.aborted, {
        what: `${d.observed.spec.name} stopped`,
        timeoutMs: config.dyno.stopTimeoutMs + 30_000,
      }).catch((e: unknown) => logger.warn('swarm task did not stop in time', { dyno: d.observed.spec.name, error: errorMessage(e) }));
    }
    const status = d.ended ?? 143;
    finish(d, status, true);
    return { forced: status === 137 };
  };

  const nodeViewsNow = async () => {
    const list = await cluster.nodes();
    const onNode = new Map<string, string[]>();
    for (const d of dynos.values()) {
      if (d.nodeId) onNode.set(d.nodeId, [...(onNode.get(d.nodeId) ?? []), `${appNameOf(d.observed.spec)} ${d.observed.spec.name}`]);
    }
    return { list, views: nodeViews(list, onNode) };
  };

  return {
    name: 'swarm',
    /** Adopts the services a previous control plane on the same home left: they keep running, untouched. */
    async recover() {
      for (const service of await cluster.services(platformId)) {
        const dyno = dynoOfService(service);
        if (!dyno || dynos.has(dyno.spec.dynoId)) continue;
        track(dyno.spec, Promise.resolve(service.ID), dyno.startedAt, Date.now());
      }
      await poll();
    },
    start(spec) {
      const startedAt = Date.now();
      track(spec, createService(spec, startedAt), startedAt, startedAt - 1000);
    },
    stop,
    list: () => [...dynos.values()].map((d) => d.observed),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await Promise.all([...dynos.keys()].map((id) => stop(id)));
      closing.abort();
    },
    detach() {
      closing.abort();
      for (const d of dynos.values()) d.closeLogs();
    },
    nodes: async () => (await nodeViewsNow()).views,
    async joinCommand() {
      const [swarm, info] = await Promise.all([cluster.swarmInfo(), cluster.info()]);
      return { token: swarm.JoinTokens.Worker, managers: (info.Swarm?.RemoteManagers ?? []).map((m) => m.Addr) };
    },
    async setNodeAvailability(name, availability) {
      const node = findNode(await cluster.nodes(), name);
      if (!node?.ID) throw new Error(`No node named "${name}". See \`cupaas nodes\`.`);
      await cluster.setNodeAvailability(node.ID, availability);
      const { views } = await nodeViewsNow();
      return views.find((v) => v.id === node.ID) as NodeView;
    },
  };
}
