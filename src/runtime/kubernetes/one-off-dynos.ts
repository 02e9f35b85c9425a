import type { KubernetesConfig } from '../../config/index.js';
import type { LogSink } from '../../domain/index.js';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { DynoEvent, DynoSpec, ObservedDyno, StopOptions, StopResult } from '../types.js';
import type { Cluster } from './cluster.js';
import { pullSecret } from './formation-input.js';
import { namespaceObject } from './manifests.js';
import { appNamespace } from './names.js';
import { oneOffEnd, oneOffName, oneOffObjects, type OneOffPodView } from './one-off.js';

const ATTACH_SKIP = 'attached one-off dynos (`run` with a terminal) are not supported on the kubernetes runtime yet: use `run:detached`';

interface Running {
  observed: ObservedDyno;
  namespace: string;
  pod: string;
  stopWatch?: () => void;
  stopLogs?: () => void;
  /** Resolves once the pod's output has been read to its end (or never followed). */
  logsDone: Promise<void>;
  logsEnded: () => void;
  following: boolean;
  stopRequested: boolean;
  kill: boolean;
  ended: boolean;
  done: Promise<void>;
  finish: () => void;
}

export interface OneOffPodsDeps {
  connect: () => Cluster;
  config: KubernetesConfig;
  logs: LogSink;
  logger: Logger;
  emit: (event: DynoEvent) => void;
  /** The longest a stop waits for the pod to report its end. */
  stopTimeoutMs: number;
}

/**
 * One-off dynos (`run:detached`, the release phase, scheduled jobs) as bare
 * Pods that are never restarted. Output is followed into the log bus, the
 * container's exit status is the dyno's, and the Pod and its env Secret are
 * deleted once the output was read. Leftovers of a previous control plane
 * cannot be reattached (their exit status was for it): `adopt` deletes them.
 */
export function createOneOffPods(deps: OneOffPodsDeps) {
  const { connect, config: k, logs, logger, emit } = deps;
  const running = new Map<string, Running>();

  function end(r: Running, how: { status: number; error?: string }) {
    if (r.ended) return;
    r.ended = true;
    running.delete(r.observed.spec.dynoId);
    r.stopWatch?.();
    emit({ type: 'exited', dynoId: r.observed.spec.dynoId, dyno: r.observed, status: how.status, requested: r.stopRequested, ...(how.error ? { error: how.error } : {}) });
    r.finish();
    // The output of a finished container stays readable until its pod is deleted: read it to the end first.
    const bounded = new Promise<void>((resolve) => setTimeout(resolve, deps.stopTimeoutMs).unref());
    void Promise.race([r.logsDone, bounded])
      .then(() => connect().deleteOneOff(r.namespace, r.pod, r.kill))
      .catch((e: unknown) => logger.warn('deleting a one-off pod failed', { pod: r.pod, error: errorMessage(e) }))
      .finally(() => r.stopLogs?.());
  }

  function follow(r: Running) {
    if (r.following) return;
    r.following = true;
    const write = (message: string) => logs.write(r.observed.spec.appId, { source: 'app', process: r.observed.spec.name, message });
    connect().followLogs(r.namespace, r.pod, write, { fromStart: true, onEnd: r.logsEnded }).then(
      (stop) => (r.stopLogs = stop),
      (e: unknown) => {
        r.logsEnded();
        logger.debug('following one-off output failed', { pod: r.pod, error: errorMessage(e) });
      },
    );
  }

  function onPod(r: Running, pod: unknown, deleted: boolean) {
    const view = pod as OneOffPodView & { status?: { containerStatuses?: readonly { state?: { running?: object } }[] } };
    const state = view.status?.containerStatuses?.[0]?.state;
    if (state?.running || state?.terminated) follow(r);
    const ended = oneOffEnd(view);
    if (ended) return end(r, ended);
    if (deleted) end(r, { status: r.kill ? 137 : 143 });
  }

  async function launch(r: Running) {
    const { spec } = r.observed;
    const c = connect();
    const appName = spec.env.CUPAAS_APP ?? spec.appId;
    const ns = { app: { id: spec.appId, name: appName }, release: { id: spec.releaseId, version: spec.releaseVersion } };
    const options = { namespace: r.namespace, ingressClass: k.ingressClass, imagePullSecret: k.imagePullSecret };
    // The release phase of a first deploy runs before any formation was applied: the namespace (and pull Secret) may not exist yet.
    await c.ensureObject(namespaceObject({ ...ns, options }));
    const secret = pullSecret({ ...ns, options }, k);
    if (secret) await c.ensureObject(secret);
    await c.createOneOff(oneOffObjects(spec, { namespace: r.namespace, imagePullSecret: k.imagePullSecret }));
    await watch(r);
  }

  /**
   * Follows the pod until it ends. The API server closes watches routinely
   * (after 30-60 min by default): a watch that ends without an error is taken
   * up again while the pod still exists (its current state comes first on the
   * new watch); a watch that fails, or a pod gone meanwhile, ends the dyno.
   */
  async function watch(r: Running) {
    const c = connect();
    r.stopWatch = await c.watchPod(r.namespace, r.pod, (pod, deleted) => onPod(r, pod, deleted), (err) => {
      r.stopWatch = undefined;
      if (r.ended) return;
      if (err) return end(r, { status: 1, error: `lost the pod's watch: ${errorMessage(err)}` });
      c.oneOffPods(r.namespace)
        .then((pods) => (r.ended ? undefined : pods.includes(r.pod) ? watch(r) : end(r, { status: 1, error: 'the pod is gone' })))
        .catch((e: unknown) => { if (!r.ended) end(r, { status: 1, error: `lost the pod's watch: ${errorMessage(e)}` }); });
    });
  }

  return {
    start(spec: DynoSpec) {
      const now = Date.now();
      const observed: ObservedDyno = { spec, state: 'starting', startedAt: now, since: now, host: null, port: null, isolation: 'pod' };
      if (spec.oneOff?.attachment) {
        setImmediate(() => emit({ type: 'exited', dynoId: spec.dynoId, dyno: observed, status: 1, requested: false, error: ATTACH_SKIP }));
        return;
      }
      let finish = () => undefined as void;
      let logsEnded = () => undefined as void;
      const r: Running = {
        observed, namespace: appNamespace(k.namespacePrefix, spec.env.CUPAAS_APP ?? spec.appId), pod: oneOffName(spec),
        logsDone: new Promise<void>((resolve) => (logsEnded = resolve)), logsEnded: () => logsEnded(),
        following: false, stopRequested: false, kill: false, ended: false,
        done: new Promise<void>((resolve) => (finish = resolve)), finish: () => finish(),
      };
      running.set(spec.dynoId, r);
      launch(r).catch((e: unknown) => {
        r.logsEnded();
        end(r, { status: 1, error: errorMessage(e) });
      });
    },
    async stop(dynoId: string, opts: StopOptions = {}): Promise<StopResult> {
      const r = running.get(dynoId);
      if (!r) return { forced: false };
      r.stopRequested = true;
      r.kill = Boolean(opts.kill);
      r.observed = { ...r.observed, state: 'stopping', since: Date.now() };
      await connect().deleteOneOff(r.namespace, r.pod, r.kill);
      const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(true), deps.stopTimeoutMs + 5000).unref());
      const forced = await Promise.race([r.done.then(() => false), timedOut]);
      if (forced) end(r, { status: 137 });
      return { forced };
    },
    list: (): ObservedDyno[] => [...running.values()].map((r) => r.observed),
    /** Deletes the one-off pods a previous control plane left in an app's namespace. */
    async adopt(namespace: string) {
      const mine = new Set([...running.values()].map((r) => r.pod));
      for (const pod of await connect().oneOffPods(namespace)) if (!mine.has(pod)) await connect().deleteOneOff(namespace, pod, true);
    },
    close() {
      for (const r of running.values()) {
        r.stopWatch?.();
        r.stopLogs?.();
      }
    },
  };
}

