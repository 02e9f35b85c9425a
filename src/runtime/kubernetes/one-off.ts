import { dynoSize } from '../../config/index.js';
import type { DynoSpec } from '../types.js';
import { kubeName, LABELS, RELEASE_ID } from './names.js';
import type { KubeObject } from './types.js';
import { CONTAINER_SECURITY, launchCommand, objectLabels, podBasics, resources, SCRATCH_MOUNT } from './workload.js';

/** A one-off dyno's pod and env Secret name: `run-1-<first 8 of the dyno id>`. */
export const oneOffName = (spec: Pick<DynoSpec, 'name' | 'dynoId'>): string => kubeName(`${spec.name.replace('.', '-')}-${spec.dynoId.slice(0, 8)}`);

/**
 * A one-off dyno (`run.1`, `release.1`, `scheduler.1`) as a bare Pod that is
 * never restarted, and a Secret with its environment (config vars and the
 * extras `run --env` adds: never in the pod spec). Pure. Both carry the
 * one-off label, so formation selectors and the prune of an apply never touch
 * them; the driver deletes both when the dyno ends.
 */
export function oneOffObjects(spec: DynoSpec, opts: { namespace: string; imagePullSecret: string | null }): KubeObject[] {
  const image = spec.artifact.image;
  if (!image) throw new Error(`${spec.name} has no image: the kubernetes runtime runs release images`);
  const name = oneOffName(spec);
  const appName = spec.env.CUPAAS_APP ?? spec.appId;
  const labels = {
    ...objectLabels({ app: { id: spec.appId, name: appName }, release: { id: spec.releaseId, version: spec.releaseVersion } }),
    [LABELS.oneOff]: kubeName(spec.name),
  };
  const secret: KubeObject = {
    apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: opts.namespace, labels }, type: 'Opaque', stringData: { ...spec.env },
  };
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: opts.namespace, labels, annotations: { [RELEASE_ID]: spec.releaseId, 'cupaas.io/dyno': spec.name } },
    spec: {
      ...podBasics(opts.imagePullSecret),
      restartPolicy: 'Never',
      containers: [{
        name: 'dyno',
        image: image.ref,
        command: launchCommand(spec.command),
        workingDir: '/app',
        envFrom: [{ secretRef: { name } }],
        resources: resources(dynoSize(spec.size)),
        securityContext: CONTAINER_SECURITY,
        volumeMounts: [SCRATCH_MOUNT],
      }],
    },
  };
  return [secret, pod];
}

/** The parts of a one-off pod its end is read from. */
export interface OneOffPodView {
  status?: {
    phase?: string;
    containerStatuses?: readonly { state?: { terminated?: { exitCode?: number; reason?: string }; waiting?: { reason?: string; message?: string } } }[];
  };
}

const NEVER_STARTS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError']);

/**
 * Whether a one-off pod has ended, and how: its container's exit status, or
 * (pod failed to start) status 1 with the runtime's reason. Pure.
 */
export function oneOffEnd(pod: OneOffPodView): { status: number; error?: string } | null {
  const c = pod.status?.containerStatuses?.[0];
  const terminated = c?.state?.terminated;
  if (terminated) return { status: terminated.exitCode ?? 1 };
  const waiting = c?.state?.waiting;
  if (waiting?.reason && NEVER_STARTS.has(waiting.reason)) return { status: 1, error: `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}` };
  if (pod.status?.phase === 'Failed') return { status: 1, error: 'the pod failed' };
  if (pod.status?.phase === 'Succeeded') return { status: 0 };
  return null;
}
