/**
 * The `swarm` runtime driver: each dyno is a Swarm service with one replica
 * (docs/design/006), created on a manager through the Engine API. Dyno state
 * comes from the manager's task list (a task is a dyno, on some node), web
 * dynos are reached at their node's address and the task's host-mode port,
 * output comes from the service logs of every node. Decides nothing: the
 * reconciler says what runs; the swarm only places it.
 */
import { homeLabel } from '../../images/index.js';
import { errorMessage, notFound } from '../../shared/errors.js';
import { forEachLine } from '../../shared/lines.js';
import { delay, waitFor } from '../../shared/wait.js';
import { isReady } from '../readiness.js';
import type { ClusterNodes } from '../../domain/index.js';
import type { DynoEvent, DynoSpec, ObservedDyno, RuntimeDriver, RuntimeDriverDeps, StopResult } from '../types.js';
import { connectCluster, type EngineAddress } from './cluster.js';
import { appNameOf, dynoOfService, pickPort, releaseImage, serviceForDyno, type DynoImage } from './dyno-service.js';
import { findNode, nodeViews, type NodeView } from './nodes.js';
import { servicesAddressFor, swarmDoctor } from './health.js';
import { createPrepuller, inRegistry } from './prepull.js';
import { LABEL, nodesToAvoid } from './service-spec.js';
import { newestTask, nodeName, taskPhase, type SwarmNode, type SwarmTask } from './tasks.js';

const SIGTERM_STATUS = 143;
const SIGKILL_STATUS = 137;

export { parseDockerHost, type EngineAddress } from './cluster.js';
export type { NodeView } from './nodes.js';
export type { DynoImage } from './dyno-service.js';

export interface SwarmDriverOptions {
  engine: EngineAddress;
  /** The image a dyno runs (default: the release's image, run like the docker driver runs it); null fails the launch, saying so. */
  imageOf?(spec: DynoSpec): DynoImage | null;
  /** The registry (`host:port`) release images are pushed to, as the nodes reach it. */
  registry?: string | null;
  /** Where add-on servers must listen for dynos on every node to reach them (null: discovered from the nodes' network). */
  servicesAddress?: string | null;
  /** How often the manager's task list is read. */
  pollMs?: number;
}

/** What the swarm driver offers beyond the runtime contract: the cluster's nodes. */
export interface SwarmRuntime extends RuntimeDriver {
  readonly cluster: ClusterNodes;
  /** Stops watching and leaves every dyno running, for the next control plane to adopt. */
  detach(): void;
}

interface SwarmDyno {
  observed: ObservedDyno;
  service: Promise<string | null>;
  nodeId: string | null;
  publishedPort: number | null;
  probing: boolean;
  finished: boolean;
  closeLogs: () => void;
  /** The image its service runs, and how often its task was retried after the image reached the registry. */
  image: string | null;
  imageRetries: number;
  checkingImage: boolean;
  /** The last task found without its image, handled once; when the wait for the push began. */
  imageTask: string | null;
  waitingSince: number | null;
  /** The stop under way: a second `stop()` waits for it, as the contract says. */
  stopping: Promise<StopResult> | null;
}

/** How a node says it could not get a task's image (the engine hides the pull's own error). */
const MISSING_IMAGE = /no such image|manifest unknown|not found/i;
/** Retries of a task whose image the registry has, before its node is blamed. */
const IMAGE_RETRIES = 3;
/** How long a dyno waits for its release's push before it fails. */
const PUSH_WAIT_MS = 10 * 60_000;

export function createSwarmDriver(deps: RuntimeDriverDeps, options: SwarmDriverOptions): SwarmRuntime {
  const { config, logs, logger } = deps;
  const cluster = connectCluster(options.engine);
  // One swarm may serve several control planes: each finds its own services by this id.
  const platformId = homeLabel(config.home);
  const dynos = new Map<string, SwarmDyno>();
  const listeners = new Set<(e: DynoEvent) => void>();
  const closing = new AbortController();
  let nodes = new Map<string, SwarmNode>();

  const prepuller = createPrepuller(cluster, platformId, logger, closing.signal);
  const emit = (e: DynoEvent) => listeners.forEach((l) => l(e));
  const setState = (d: SwarmDyno, state: ObservedDyno['state']) => {
    d.observed.state = state;
    d.observed.since = Date.now();
  };

  const finish = (d: SwarmDyno, status: number, requested: boolean, error?: string, lost?: string) => {
    if (d.finished) return;
    d.finished = true;
    d.closeLogs();
    dynos.delete(d.observed.spec.dynoId);
    void d.service
      .catch(() => null) // never created: nothing to remove
      .then((id) => (id ? cluster.removeService(id) : undefined))
      .catch((e: unknown) => logger.warn('swarm service not removed', { dyno: d.observed.spec.name, error: errorMessage(e) }));
    emit({ type: 'exited', dynoId: d.observed.spec.dynoId, dyno: { ...d.observed }, status, requested, ...(error ? { error } : {}), ...(lost ? { lost } : {}) });
  };

  const followLogs = (d: SwarmDyno, serviceId: string, sinceMs: number) => {
    const { appId, name } = d.observed.spec;
    cluster.followLogs(serviceId, Math.floor(sinceMs / 1000)).then(
      (stream) => {
        if (d.finished) return void stream.destroy();
        d.closeLogs = () => stream.destroy();
        forEachLine(stream, (message) => logs.write(appId, { source: 'app', process: name, message }));
      },
      (e: unknown) => logger.warn('swarm logs not followed', { dyno: name, error: errorMessage(e) }),
    );
  };

  const track = (spec: DynoSpec, service: Promise<string | null>, startedAt: number, logsSince: number): SwarmDyno => {
    const observed: ObservedDyno = { spec, state: 'starting', startedAt, since: Date.now(), host: null, port: null, isolation: 'swarm' };
    const d: SwarmDyno = {
      observed, service, nodeId: null, publishedPort: null, probing: false, finished: false, closeLogs: () => undefined,
      image: null, imageRetries: 0, checkingImage: false, imageTask: null, waitingSince: null, stopping: null,
    };
    dynos.set(spec.dynoId, d);
    service.then(
      (id) => id && followLogs(d, id, logsSince),
      (e: unknown) => finish(d, 1, false, errorMessage(e)),
    );
    return d;
  };

  const createService = async (spec: DynoSpec, startedAt: number): Promise<string> => {
    const image = options.imageOf ? options.imageOf(spec) : releaseImage(spec, options.registry ?? null);
    if (!image) {
      throw new Error(
        `release v${spec.releaseVersion} has no image in a registry the swarm nodes can pull from: set CUPAAS_REGISTRY_URL to one they reach and deploy again`,
      );
    }
    prepuller.warm(image.ref, (node, error) =>
      logs.write(spec.appId, { source: 'heroku', process: 'api', message: `Node ${node} cannot pull ${image.ref}: ${error}` }),
    );
    const network = await cluster.network(`cupaas-${appNameOf(spec)}`, { [LABEL.platform]: platformId, [LABEL.appId]: spec.appId });
    const eligible = [...nodes.values()].filter((n) => n.Status?.State === 'ready' && n.Spec?.Availability === 'active').map((n) => n.ID as string);
    const sameType = [...dynos.values()].filter((x) => x.observed.spec.appId === spec.appId && x.observed.spec.processType === spec.processType);
    const avoidNodeIds = nodesToAvoid(eligible, sameType.flatMap((x) => x.nodeId ?? []));
    const publishedPort = pickPort(new Set([...dynos.values()].flatMap((x) => x.publishedPort ?? x.observed.port ?? [])));
    const d = dynos.get(spec.dynoId);
    if (d) {
      d.publishedPort = publishedPort;
      d.image = image.ref;
    }
    return cluster.createService(
      serviceForDyno(spec, image, startedAt, {
        platformId, network, avoidNodeIds, publishedPort, stopTimeoutMs: config.dyno.stopTimeoutMs, bootTimeoutMs: config.dyno.bootTimeoutMs,
      }),
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
    const task = newestTask(byService.get(id) ?? []);
    const phase = taskPhase(task, nodes);
    d.nodeId = phase.nodeId;
    d.observed.node = phase.nodeId ? nodeName(nodes.get(phase.nodeId), phase.nodeId) : null;
    if (d.observed.state === 'stopping') return; // stop() watches its own task
    if (phase.phase === 'exited' && phase.error && MISSING_IMAGE.test(phase.error) && d.image) awaitImage(d, id, phase.error, task?.ID ?? null);
    else if (phase.phase === 'exited') finish(d, phase.status, false, phase.error ?? undefined, phase.lost);
    else if (phase.phase === 'running' && d.observed.state === 'starting') {
      d.observed.host = phase.host;
      // The published port is the one the driver chose; the task reports it only once the engine's check passed.
      d.observed.port = d.observed.spec.web ? (phase.port ?? d.publishedPort) : null;
      if (!d.observed.spec.web) {
        setState(d, 'up');
        emit({ type: 'up', dynoId: d.observed.spec.dynoId, dyno: { ...d.observed } });
      } else probe(d);
    } else if (phase.phase === 'starting' && phase.note !== (d.observed.stateReason ?? null)) {
      // Said once per new word from the swarm (a node retrying a pull, no node that fits), so a pending dyno is never silent.
      d.observed.stateReason = phase.note;
      const where = phase.nodeId ? ` on node ${nodeName(nodes.get(phase.nodeId), phase.nodeId)}` : '';
      if (phase.note) logs.write(d.observed.spec.appId, { source: 'heroku', process: d.observed.spec.name, message: `Pending${where}: ${phase.note}` });
    }
  };

  /**
   * A node found no image for the task. While the registry lacks it too (the release's push is still under
   * way) the dyno waits, saying so; once the registry has it the task is tried again, a few times, before the
   * node is blamed: its exit then names the node and the engine's error.
   */
  const awaitImage = (d: SwarmDyno, serviceId: string, error: string, taskId: string | null) => {
    if (d.checkingImage || (taskId && taskId === d.imageTask)) return;
    d.checkingImage = true;
    void (async () => {
      const image = d.image as string;
      // A digest exists only once pushed: its absence is final. A release tag (`:vN`) may still be on its way.
      const there = image.includes('@') ? true : await inRegistry(image);
      if (d.finished || d.observed.state !== 'starting') return;
      d.waitingSince ??= Date.now();
      if (there === false && Date.now() - d.waitingSince < PUSH_WAIT_MS) {
        const reason = `waiting for ${d.image} to reach the registry (the release's push is under way)`;
        if (d.observed.stateReason !== reason) {
          d.observed.stateReason = reason;
          logs.write(d.observed.spec.appId, { source: 'heroku', process: d.observed.spec.name, message: `Pending: ${reason}` });
        }
        return;
      }
      if (there !== true || d.imageRetries >= IMAGE_RETRIES) return finish(d, 1, false, error);
      d.imageRetries++;
      d.imageTask = taskId;
      await cluster.updateService(serviceId, (s) => ({ ...s, TaskTemplate: { ...s.TaskTemplate, ForceUpdate: (s.TaskTemplate.ForceUpdate ?? 0) + 1 } }));
    })()
      .catch((e: unknown) => logger.warn('swarm task not retried', { dyno: d.observed.spec.name, error: errorMessage(e) }))
      .finally(() => {
        d.checkingImage = false;
      });
  };

  const poll = async () => {
    const [tasks, nodeList] = await Promise.all([cluster.tasks(platformId), cluster.nodes()]);
    nodes = new Map(nodeList.map((n) => [n.ID as string, n]));
    const byService = new Map<string, SwarmTask[]>();
    for (const t of tasks) byService.set(t.ServiceID as string, [...(byService.get(t.ServiceID as string) ?? []), t]);
    await Promise.all([...dynos.values()].map((d) => observe(d, byService)));
  };

  /** The watch loop starts with the first dyno, so a driver that never runs one never calls the manager. */
  let watching = false;
  const watch = () => {
    if (watching) return;
    watching = true;
    void (async () => {
      while (!closing.signal.aborted) {
        await poll().catch((e: unknown) => logger.warn('swarm manager not reachable', { error: errorMessage(e) }));
        await delay(options.pollMs ?? 500, closing.signal).catch(() => undefined);
      }
    })();
  };

  /**
   * Scales the dyno's service to 0 (the node's agent sends SIGTERM, SIGKILL after
   * the grace period) and watches its task closely: Swarm deletes a scaled-down
   * task soon after it ends. A task gone before its end was seen is counted as
   * killed (SIGKILL) only if it was last seen running after the grace period:
   * on a busy manager the polls themselves take seconds, so the time of the
   * poll that missed it says nothing about when it ended.
   */
  const stop = (dynoId: string): Promise<StopResult> => {
    const d = dynos.get(dynoId);
    if (!d) return Promise.resolve({ forced: false });
    d.stopping ??= terminate(d);
    return d.stopping;
  };

  const terminate = async (d: SwarmDyno): Promise<StopResult> => {
    setState(d, 'stopping');
    const grace = config.dyno.stopTimeoutMs;
    let status = SIGTERM_STATUS;
    const id = await d.service.catch(() => null);
    if (id) {
      try {
        await cluster.updateService(id, (s) => ({ ...s, Mode: { Replicated: { Replicas: 0 } } }));
        const updated = Date.now();
        let lastSeenRunning = updated;
        status = await waitFor(
          async () => {
            const asked = Date.now();
            const task = newestTask(await cluster.tasksOf(id));
            if (!task) return lastSeenRunning - updated >= grace ? SIGKILL_STATUS : SIGTERM_STATUS;
            const phase = taskPhase(task, nodes);
            if (phase.phase === 'exited') return phase.status;
            lastSeenRunning = asked;
            return undefined;
          },
          { what: `${d.observed.spec.name} stopped`, intervalMs: 150, timeoutMs: grace + 30_000 },
        );
      } catch (e) {
        logger.warn('swarm task not seen stopping', { dyno: d.observed.spec.name, error: errorMessage(e) });
      }
    }
    finish(d, status, true);
    return { forced: status === SIGKILL_STATUS };
  };

  const nodeViewsNow = async () => {
    const list = await cluster.nodes();
    const onNode = new Map<string, NodeView['dynos']>();
    for (const { nodeId, observed } of dynos.values()) {
      if (!nodeId) continue;
      onNode.set(nodeId, [...(onNode.get(nodeId) ?? []), { appId: observed.spec.appId, app: appNameOf(observed.spec), dyno: observed.spec.name }]);
    }
    return { list, views: nodeViews(list, onNode) };
  };

  return {
    name: 'swarm',
    runs: 'image',
    /** Adopts the services a previous control plane on the same home left: they keep running, untouched. */
    async adopt() {
      await prepuller.removeLeftovers();
      for (const service of await cluster.services(platformId)) {
        const dyno = dynoOfService(service);
        if (!dyno || dynos.has(dyno.spec.dynoId)) continue;
        track(dyno.spec, Promise.resolve(service.ID), dyno.startedAt, Date.now());
      }
      await poll();
      watch();
    },
    servicesAddress: async () => servicesAddressFor(options.servicesAddress ?? null, [...nodes.values()].length ? [...nodes.values()] : await cluster.nodes()),
    doctor: () => swarmDoctor(cluster),
    start(spec) {
      watch();
      const startedAt = Date.now();
      // The service is created on the next turn, once the dyno is tracked (its published port is recorded on it).
      track(spec, Promise.resolve().then(() => createService(spec, startedAt)), startedAt, startedAt - 1000);
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
    cluster: {
      nodes: async () => (await nodeViewsNow()).views,
      async joinCommand() {
        const [swarm, info] = await Promise.all([cluster.swarmInfo(), cluster.info()]);
        return { token: swarm.JoinTokens.Worker, managers: (info.Swarm?.RemoteManagers ?? []).map((m) => m.Addr) };
      },
      async setNodeAvailability(name, availability) {
        const node = findNode(await cluster.nodes(), name);
        if (!node?.ID) throw notFound('node', name);
        await cluster.setNodeAvailability(node.ID, availability);
        const { views } = await nodeViewsNow();
        return views.find((v) => v.id === node.ID) as NodeView;
      },
    },
  };
}
