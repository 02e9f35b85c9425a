import type { KubernetesConfig } from '../../config/index.js';
import { errorMessage } from '../../shared/errors.js';
import type { DynoEvent, FormationDyno, FormationRollout, FormationSpec, FormationStatus, RuntimeDriver, RuntimeDriverDeps } from '../types.js';
import { createCluster, inspectCluster, loadKubeConfig, type Cluster } from './cluster.js';
import { kubernetesDoctor } from './doctor.js';
import { formationManifestInput, pullSecret, routerBackends } from './formation-input.js';
import { appManifests } from './manifests.js';
import { kubeName } from './names.js';
import { createOneOffPods } from './one-off-dynos.js';
import type { PodDyno } from './pod-state.js';

/** How often every app is listed again besides the watch (pods, rollout): a missed or ended watch costs at most this. */
const RESYNC_MS = 10_000;

const NO_CLUSTER = 'no Kubernetes cluster configured: set KUBECONFIG, or run the platform in a pod';

/** What the driver knows of one app on the cluster. */
interface AppState {
  appId: string;
  appName: string;
  namespace: string;
  releaseId: string | null;
  rollout: FormationRollout;
  pods: Map<string, PodDyno>;
  /** Pods whose output is followed, and how to stop following. */
  following: Map<string, () => void>;
  stopWatch: (() => void) | null;
  /** Pods that existed when the driver found the app: their earlier output is not replayed. */
  adopted: Set<string>;
  /** Applies of this app, one after the other, so the last one asked is the one the cluster keeps. */
  applying: Promise<void>;
}

const toFormationDyno = (d: PodDyno): FormationDyno => ({
  id: d.id, name: d.name, processType: d.processType, releaseId: d.releaseId, releaseVersion: d.release,
  state: d.state, restarts: d.restarts, code: d.code, reason: d.reason, since: d.since,
});

/**
 * The `kubernetes` runtime: a declarative driver (design/021). The reconciler
 * hands it each app's desired state; it server-side applies the app's objects
 * (field manager `cupaas`), prunes what the state no longer names, watches
 * pods as dynos, follows their output into the log bus, and finds the apps it
 * already runs after a control-plane restart without restarting anything.
 * One-off dynos are bare Pods (`one-off-dynos.ts`). Closing it leaves the
 * apps running: the cluster runs them.
 */
export function createKubernetesDriver(deps: RuntimeDriverDeps, k: KubernetesConfig): RuntimeDriver {
  const { logs, logger } = deps;
  const log = logger.child({ subsystem: 'kubernetes' });
  const apps = new Map<string, AppState>();
  const listeners = new Set<() => void>();
  const dynoListeners = new Set<(e: DynoEvent) => void>();
  let cluster: Cluster | null = null;
  let resync: NodeJS.Timeout | undefined;
  let closed = false;
  let discovered = false;

  const notify = () => listeners.forEach((l) => l());
  const connect = (): Cluster => {
    if (cluster) return cluster;
    const kc = loadKubeConfig(k.kubeconfig, { inCluster: k.inCluster });
    if (!kc) throw new Error(NO_CLUSTER);
    cluster = createCluster(kc);
    return cluster;
  };
  const oneOffs = createOneOffPods({
    connect, config: k, logs, logger: log, stopTimeoutMs: deps.config.dyno.stopTimeoutMs,
    emit: (e) => dynoListeners.forEach((l) => l(e)),
  });

  /**
   * Follows a dyno's output once its container runs (a booting web dyno is
   * `starting`, so it is followed from the container's start). The stream
   * ends with the container; the next observation follows its successor.
   */
  function follow(app: AppState, dyno: PodDyno) {
    if (app.following.has(dyno.id) || closed) return;
    // A container still being created refuses to be followed: the pod's next change tries again.
    if (dyno.state === 'crashed' || dyno.state === 'stopping') return;
    app.following.set(dyno.id, () => undefined);
    const write = (message: string) => logs.write(app.appId, { source: 'app', process: dyno.name, message });
    const ended = () => {
      // An adopted pod's earlier output was shown by the previous control plane; a successor container's is new.
      app.adopted.delete(dyno.id);
      app.following.delete(dyno.id);
    };
    connect().followLogs(app.namespace, dyno.id, write, { fromStart: !app.adopted.has(dyno.id), onEnd: ended }).then(
      (stop) => (app.following.has(dyno.id) && !closed ? app.following.set(dyno.id, stop) : stop()),
      (e: unknown) => {
        app.following.delete(dyno.id); // tried again at the next observation
        log.debug('following pod output failed', { pod: dyno.id, error: errorMessage(e) });
      },
    );
  }

  function unfollow(app: AppState, podName: string) {
    app.following.get(podName)?.();
    app.following.delete(podName);
  }

  function observePod(app: AppState, dyno: PodDyno, deleted: boolean) {
    if (deleted) {
      app.pods.delete(dyno.id);
      unfollow(app, dyno.id);
    } else {
      app.pods.set(dyno.id, dyno);
      follow(app, dyno);
    }
  }

  async function watch(app: AppState) {
    if (app.stopWatch || closed) return;
    app.stopWatch = () => undefined;
    try {
      app.stopWatch = await connect().watchDynos(kubeName(app.appName), app.namespace, (d, deleted) => {
        observePod(app, d, deleted);
        notify();
      }, () => (app.stopWatch = null));
    } catch (e) {
      app.stopWatch = null;
      throw e;
    }
  }

  /** Level-based: lists the app's pods and rollout again, and watches again if the watch ended. */
  async function refresh(app: AppState) {
    const c = connect();
    const [dynos, rollout] = await Promise.all([c.dynos(kubeName(app.appName), app.namespace), c.rollout(kubeName(app.appName), app.namespace)]);
    if (apps.get(app.appId) !== app) return; // removed meanwhile
    const names = new Set(dynos.map((d) => d.id));
    for (const name of app.pods.keys()) if (!names.has(name)) observePod(app, app.pods.get(name) as PodDyno, true);
    for (const d of dynos) observePod(app, d, false);
    app.rollout = rollout;
    await watch(app);
    notify();
  }

  const stateOf = (appId: string, appName: string, namespace: string): AppState => {
    const found = apps.get(appId);
    if (found) return found;
    const fresh: AppState = {
      appId, appName, namespace, releaseId: null, rollout: { state: 'progressing' }, pods: new Map(), following: new Map(), stopWatch: null, adopted: new Set(),
      applying: Promise.resolve(),
    };
    apps.set(appId, fresh);
    return fresh;
  };

  function forget(app: AppState) {
    app.stopWatch?.();
    for (const name of [...app.following.keys()]) unfollow(app, name);
    apps.delete(app.appId);
  }

  /** Level-based adoption: whatever the cluster runs for cupaas is listed and followed again; nothing restarts. */
  async function discover() {
    for (const found of await connect().ownedApps()) {
      if (!found.appId || apps.has(found.appId)) continue;
      const app = stateOf(found.appId, found.appName, found.namespace);
      app.releaseId = found.releaseId;
      const dynos = await connect().dynos(kubeName(found.appName), found.namespace);
      dynos.forEach((d) => app.adopted.add(d.id));
      await oneOffs.adopt(found.namespace).catch((e: unknown) => log.warn('deleting leftover one-off pods failed', { app: found.appName, error: errorMessage(e) }));
      await refresh(app).catch((e: unknown) => log.warn('adopting an app failed', { app: found.appName, error: errorMessage(e) }));
    }
    discovered = true;
  }

  async function resyncAll() {
    if (!discovered) await discover().catch((e: unknown) => log.warn('listing the apps on the cluster failed', { error: errorMessage(e) }));
    for (const app of [...apps.values()]) {
      await refresh(app).catch((e: unknown) => log.warn('listing an app on the cluster failed', { app: app.appName, error: errorMessage(e) }));
    }
  }

  const formations = {
    async apply(spec: FormationSpec) {
      const input = formationManifestInput(spec, k);
      const app = stateOf(spec.appId, spec.appName, input.options.namespace);
      if (app.releaseId !== spec.release.id) {
        app.releaseId = spec.release.id;
        app.rollout = { state: 'progressing' };
        notify();
      }
      const secret = pullSecret(input, k);
      const objects = appManifests(input);
      // The pull Secret goes right after the namespace, before the Deployments that name it.
      const desired = secret ? [objects[0]!, secret, ...objects.slice(1)] : objects;
      const run = app.applying.catch(() => undefined).then(async () => {
        await connect().applyApp(kubeName(spec.appName), input.options.namespace, desired);
        await refresh(app);
      });
      app.applying = run;
      await run;
    },
    async remove(appId: string) {
      const app = apps.get(appId);
      if (!app) return;
      forget(app);
      notify();
      await connect().removeApp(app.namespace);
    },
    observe(): FormationStatus[] {
      return [...apps.values()].map((a) => {
        const pods = [...a.pods.values()];
        return {
          appId: a.appId, releaseId: a.releaseId, rollout: a.rollout, dynos: pods.map(toFormationDyno),
          backends: routerBackends(k.inCluster, a.namespace, pods),
        };
      });
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  return {
    name: 'kubernetes',
    runs: 'image',
    formations,
    ...(k.platformHost
      ? {}
      : {
          hostedAddonsRefusal:
            "Add-ons served by the platform host are not reachable from the cluster's pods. Set CUPAAS_KUBERNETES_PLATFORM_HOST " +
            'to an address of this host that pods reach (add-on servers then listen there), or attach an external add-on by URL.',
        }),
    async adopt() {
      let kc;
      try {
        kc = loadKubeConfig(k.kubeconfig, { inCluster: k.inCluster });
      } catch (e) {
        throw new Error(`the kubernetes runtime cannot read KUBECONFIG ${k.kubeconfig}: ${errorMessage(e)}`);
      }
      if (!kc) {
        log.warn(NO_CLUSTER);
        return;
      }
      // An unreachable cluster does not stop the platform: discovery is tried again at every resync.
      await discover().catch((e: unknown) => log.warn('listing the apps on the cluster failed; trying again', { error: errorMessage(e) }));
      resync = setInterval(() => void resyncAll(), RESYNC_MS);
      resync.unref();
    },
    async servicesAddress() {
      return k.platformHost ? { address: k.platformHost, clients: k.addonClients } : null;
    },
    async doctor() {
      const report = await kubernetesDoctor(k, { selected: true });
      let kc;
      try {
        kc = loadKubeConfig(k.kubeconfig, { inCluster: k.inCluster });
      } catch {
        return { ok: false, report };
      }
      if (!kc) return { ok: false, report };
      const ok = await inspectCluster(kc, k.namespacePrefix).then(() => true, () => false);
      return { ok, report };
    },
    // Formation dynos come through `formations`; only one-off dynos reach the per-dyno calls.
    start: (spec) => oneOffs.start(spec),
    stop: (dynoId, opts) => oneOffs.stop(dynoId, opts),
    list: () => oneOffs.list(),
    subscribe(listener) {
      dynoListeners.add(listener);
      return () => dynoListeners.delete(listener);
    },
    async close() {
      closed = true;
      clearInterval(resync);
      for (const app of [...apps.values()]) forget(app);
      oneOffs.close();
    },
  };
}
