import { Writable } from 'node:stream';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { lazyPackage } from '../../shared/lazy.js';
import { LOG_LINE_MAX, splitLines } from '../../shared/lines.js';
import { LABELS, MANAGER, RELEASE_ID } from './names.js';
import { planApply, type ApplyPlan, type ObjectRef } from './plan.js';
import { podToDyno, rolloutStatus, type DeploymentView, type PodDyno, type PodView, type RolloutStatus } from './pod-state.js';
import type { KubeObject } from './types.js';

/** The client (~70 MB resident once loaded): only a server that talks to a cluster loads it (issue 17). */
const k8s = lazyPackage<typeof import('@kubernetes/client-node')>('@kubernetes/client-node');

/** Kinds cupaas creates in an app namespace, listed for pruning. */
const OWNED_KINDS: readonly (readonly [string, string])[] = [
  ['v1', 'Secret'], ['apps/v1', 'Deployment'], ['v1', 'Service'], ['networking.k8s.io/v1', 'Ingress'], ['policy/v1', 'PodDisruptionBudget'],
];

/** Talks to one cluster. Every write is a server-side apply by field manager `cupaas`. */
export interface Cluster {
  /** Applies an app's desired objects and prunes the owned ones nothing desires any more; returns what it did. */
  applyApp(appName: string, namespace: string, desired: readonly KubeObject[]): Promise<ApplyPlan>;
  /** The app's pods as dynos (also what a restarted control plane adopts: nothing is restarted). */
  dynos(appName: string, namespace: string): Promise<PodDyno[]>;
  /** One status for the release: failed if any process type failed, complete once all are. */
  rollout(appName: string, namespace: string): Promise<RolloutStatus>;
  /** Calls back with each pod change as a dyno until the returned function is called or the watch ends (`onEnd`). */
  watchDynos(appName: string, namespace: string, onDyno: (dyno: PodDyno, deleted: boolean) => void, onEnd?: (err: unknown) => void): Promise<() => void>;
  /** Follows one pod's output line by line: from its start, or only what it prints from now on (an adopted pod). */
  followLogs(namespace: string, pod: string, onLine: (line: string) => void, opts?: { fromStart: boolean; onEnd?: () => void }): Promise<() => void>;
  /** The apps whose namespaces cupaas owns (what a restarted control plane adopts). */
  ownedApps(): Promise<OwnedApp[]>;
  /** Deletes an app's namespace and with it everything in it. */
  removeApp(namespace: string): Promise<void>;
  /** Creates an object when it does not exist yet (a one-off dyno's namespace before the first formation apply); never changes one. */
  ensureObject(object: KubeObject): Promise<void>;
  /** Creates a one-off dyno's objects (its env Secret, then its Pod). */
  createOneOff(objects: readonly KubeObject[]): Promise<void>;
  /** Calls back with each change of one pod until the returned function is called or the watch ends. */
  watchPod(namespace: string, name: string, onPod: (pod: unknown, deleted: boolean) => void, onEnd: (err: unknown) => void): Promise<() => void>;
  /** Deletes a one-off dyno's Pod and Secret (at once with `kill`); gone ones are fine. */
  deleteOneOff(namespace: string, name: string, kill: boolean): Promise<void>;
  /** The names of the one-off pods in a namespace (left by a previous control plane). */
  oneOffPods(namespace: string): Promise<string[]>;
}

/** An app namespace found on the cluster. */
export interface OwnedApp {
  appId: string;
  appName: string;
  namespace: string;
  /** The release last applied (namespace annotation). */
  releaseId: string | null;
}

/** `KUBECONFIG` when given, else the in-cluster service account; null when neither exists. */
export function loadKubeConfig(kubeconfig: string | null, env: { inCluster: boolean }): KubeConfig | null {
  const kc = new (k8s().KubeConfig)();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else if (env.inCluster) kc.loadFromCluster();
  else return null;
  return kc;
}

/** Formation objects of an app: one-off dynos' pods and Secrets are never listed, pruned or counted with them. */
const ownedSelector = (appName: string) => `${LABELS.managedBy}=${MANAGER},${LABELS.app}=${appName},!${LABELS.oneOff}`;
const formationPods = (appName: string) => `${LABELS.app}=${appName},!${LABELS.oneOff}`;
const gone = (e: unknown) => (e as { code?: number }).code === 404;

export function createCluster(kc: KubeConfig): Cluster {
  const objects = k8s().KubernetesObjectApi.makeApiClient(kc);

  async function observed(appName: string, namespace: string): Promise<ObjectRef[]> {
    const lists = await Promise.all(
      OWNED_KINDS.map(async ([apiVersion, kind]) => {
        const list = await objects.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, ownedSelector(appName));
        return list.items.map((o) => ({ apiVersion, kind, namespace, name: o.metadata?.name ?? '' }));
      }),
    );
    return lists.flat();
  }

  return {
    async applyApp(appName, namespace, desired) {
      const plan = planApply(desired, await observed(appName, namespace));
      // In order: the namespace and Secret exist before the Deployments that use them.
      for (const o of plan.apply) {
        await objects.patch(o as KubernetesObject, undefined, undefined, MANAGER, true, k8s().PatchStrategy.ServerSideApply);
      }
      for (const r of plan.prune) {
        await objects.delete({ apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, namespace: r.namespace ?? undefined } });
      }
      return plan;
    },
    async dynos(appName, namespace) {
      const pods = await objects.list('v1', 'Pod', namespace, undefined, undefined, undefined, undefined, formationPods(appName));
      return pods.items.map((p) => podToDyno(p as unknown as PodView));
    },
    async rollout(appName, namespace) {
      const list = await objects.list('apps/v1', 'Deployment', namespace, undefined, undefined, undefined, undefined, ownedSelector(appName));
      const states = list.items.map((d) => rolloutStatus(d as unknown as DeploymentView));
      return states.find((s) => s.state === 'failed') ?? states.find((s) => s.state === 'progressing') ?? { state: 'complete' };
    },
    async watchDynos(appName, namespace, onDyno, onEnd) {
      const watch = new (k8s().Watch)(kc);
      const controller = await watch.watch(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
        { labelSelector: formationPods(appName) },
        (phase, pod: PodView) => onDyno(podToDyno(pod), phase === 'DELETED'),
        (err: unknown) => onEnd?.(err), // the caller re-lists and watches again (level-based)
      );
      return () => controller.abort();
    },
    async followLogs(namespace, pod, onLine, opts) {
      const lines = splitLines(onLine, LOG_LINE_MAX);
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.write(chunk);
          done();
        },
      });
      sink.on('finish', () => {
        lines.end();
        opts?.onEnd?.();
      });
      const controller = await new (k8s().Log)(kc).log(namespace, pod, '', sink, { follow: true, ...(opts?.fromStart ? {} : { tailLines: 0 }) });
      return () => controller.abort();
    },
    async ownedApps() {
      const list = await objects.list('v1', 'Namespace', undefined, undefined, undefined, undefined, undefined, `${LABELS.managedBy}=${MANAGER},${LABELS.appId}`);
      return list.items.map((n) => ({
        appId: n.metadata?.labels?.[LABELS.appId] ?? '',
        appName: n.metadata?.labels?.[LABELS.app] ?? '',
        namespace: n.metadata?.name ?? '',
        releaseId: n.metadata?.annotations?.[RELEASE_ID] ?? null,
      }));
    },
    async removeApp(namespace) {
      await objects.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    },
    async ensureObject(o) {
      try {
        await objects.read({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: o.metadata.namespace } });
      } catch (e) {
        if (!gone(e)) throw e;
        await objects.create(o as KubernetesObject, undefined, undefined, MANAGER);
      }
    },
    async createOneOff(list) {
      for (const o of list) await objects.create(o as KubernetesObject, undefined, undefined, MANAGER);
    },
    async watchPod(namespace, name, onPod, onEnd) {
      const controller = await new (k8s().Watch)(kc).watch(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
        { fieldSelector: `metadata.name=${name}` },
        (phase, pod: unknown) => onPod(pod, phase === 'DELETED'),
        onEnd,
      );
      return () => controller.abort();
    },
    async deleteOneOff(namespace, name, kill) {
      for (const kind of ['Pod', 'Secret']) {
        await objects.delete({ apiVersion: 'v1', kind, metadata: { name, namespace } }, undefined, undefined, kill ? 0 : undefined)
          .catch((e: unknown) => { if (!gone(e)) throw e; });
      }
    },
    async oneOffPods(namespace) {
      const list = await objects.list('v1', 'Pod', namespace, undefined, undefined, undefined, undefined, `${LABELS.managedBy}=${MANAGER},${LABELS.oneOff}`);
      return list.items.map((p) => p.metadata?.name ?? '').filter(Boolean);
    },
  };
}

/** What `cupaas server --doctor` says about the cluster. */
export interface ClusterReport {
  version: string;
  /** Whether this identity may create namespaces and apply/delete the kinds cupaas owns. */
  rights: { verb: string; resource: string; allowed: boolean }[];
  ingressClasses: { name: string; isDefault: boolean }[];
}

const NEEDED: readonly (readonly [string, string, string])[] = [
  ['create', '', 'namespaces'], ['patch', 'apps', 'deployments'], ['delete', 'apps', 'deployments'], ['patch', '', 'secrets'],
  ['patch', '', 'services'], ['patch', 'networking.k8s.io', 'ingresses'], ['patch', 'policy', 'poddisruptionbudgets'],
  ['watch', '', 'pods'], ['get', '', 'pods/log'],
];

export async function inspectCluster(kc: KubeConfig, namespacePrefix: string): Promise<ClusterReport> {
  const version = await kc.makeApiClient(k8s().VersionApi).getCode();
  const auth = kc.makeApiClient(k8s().AuthorizationV1Api);
  const rights = await Promise.all(
    NEEDED.map(async ([verb, group, resource]) => {
      const [res, sub] = resource.split('/');
      const review = await auth.createSelfSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { verb, group, resource: res, subresource: sub, namespace: res === 'namespaces' ? undefined : `${namespacePrefix}probe` } },
        },
      });
      return { verb, resource, allowed: review.status?.allowed === true };
    }),
  );
  const classes = await kc.makeApiClient(k8s().NetworkingV1Api).listIngressClass();
  return {
    version: version.gitVersion,
    rights,
    ingressClasses: classes.items.map((c) => ({
      name: c.metadata?.name ?? '',
      isDefault: c.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true',
    })),
  };
}
