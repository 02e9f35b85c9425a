import { LABELS, RELEASE_ID } from './names.js';

/** The parts of a Pod (core/v1) the mapping reads. */
export interface PodView {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string | Date | null;
    deletionTimestamp?: string | Date | null;
  };
  status?: {
    phase?: string;
    containerStatuses?: readonly {
      ready: boolean;
      restartCount: number;
      state?: { waiting?: { reason?: string }; running?: object; terminated?: { reason?: string; exitCode?: number } };
      lastState?: { terminated?: { reason?: string; exitCode?: number } };
    }[];
  };
}

export type PodDynoState = 'starting' | 'up' | 'crashed' | 'stopping';

/** A pod as a dyno of `cupaas ps`. */
export interface PodDyno {
  /** The pod's name: stable while the dyno lives. */
  id: string;
  /** `web.<pod suffix>`: pod names are not numbered like `web.1`. */
  name: string;
  processType: string;
  release: number | null;
  /** The release id the pod template names (`cupaas.io/release-id`). */
  releaseId: string | null;
  /** Epoch ms the pod was created (0 when unknown). */
  since: number;
  state: PodDynoState;
  restarts: number;
  /** Heroku error code for the last failure (R15: memory limit; R10: exited at boot), null when none. */
  code: string | null;
  /** What the cluster said, for `ps` and the logs. */
  reason: string | null;
}

const FAILED_START = new Set(['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'InvalidImageName', 'CreateContainerError']);

const codeFor = (reason: string | undefined): string | null =>
  reason === 'OOMKilled' ? 'R15' : reason === 'Error' || reason === 'Completed' ? 'R10' : null;

/** The dyno a pod stands for. Pure: the watch feeds pods in, `ps` and the reconciler read dynos out. */
export function podToDyno(pod: PodView): PodDyno {
  const type = pod.metadata.labels?.[LABELS.processType] ?? 'unknown';
  const version = /^v(\d+)$/.exec(pod.metadata.labels?.[LABELS.release] ?? '')?.[1];
  const suffix = pod.metadata.name.split('-').slice(-2).join('-');
  const c = pod.status?.containerStatuses?.[0];
  const lastReason = c?.state?.terminated?.reason ?? c?.lastState?.terminated?.reason;
  const created = pod.metadata.creationTimestamp ? new Date(pod.metadata.creationTimestamp).getTime() : 0;
  const base = {
    id: pod.metadata.name,
    name: `${type}.${suffix}`,
    releaseId: pod.metadata.annotations?.[RELEASE_ID] ?? null,
    since: Number.isFinite(created) ? created : 0,
    processType: type,
    release: version ? Number(version) : null,
    restarts: c?.restartCount ?? 0,
    code: codeFor(lastReason),
    reason: lastReason ?? null,
  };
  if (pod.metadata.deletionTimestamp) return { ...base, state: 'stopping' };
  const waiting = c?.state?.waiting?.reason;
  if (waiting && FAILED_START.has(waiting)) {
    return { ...base, state: 'crashed', reason: lastReason ? `${waiting} (${lastReason})` : waiting };
  }
  if (pod.status?.phase === 'Failed' || c?.state?.terminated) return { ...base, state: 'crashed' };
  if (c?.state?.running && c.ready) return { ...base, state: 'up' };
  return { ...base, state: 'starting' };
}

/** The parts of a Deployment (apps/v1) rollout status reads. */
export interface DeploymentView {
  metadata: { generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: readonly { type: string; status: string; reason?: string; message?: string }[];
  };
}

export type RolloutStatus = { state: 'progressing' } | { state: 'complete' } | { state: 'failed'; reason: string };

/**
 * Whether a Deployment's switch-over finished, as `kubectl rollout status`
 * decides it: a release succeeds once every process type's rollout is complete
 * and fails when one exceeds its progress deadline.
 */
export function rolloutStatus(d: DeploymentView): RolloutStatus {
  const s = d.status ?? {};
  const stalled = s.conditions?.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  if (stalled) return { state: 'failed', reason: stalled.message ?? 'progress deadline exceeded' };
  if ((s.observedGeneration ?? -1) < (d.metadata.generation ?? 0)) return { state: 'progressing' };
  const want = d.spec?.replicas ?? 1;
  const done = (s.updatedReplicas ?? 0) >= want && (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) && (s.availableReplicas ?? 0) >= want;
  return done ? { state: 'complete' } : { state: 'progressing' };
}
