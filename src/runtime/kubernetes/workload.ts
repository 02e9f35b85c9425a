import { dynoSize, type DynoSize } from '../../config/index.js';
import { kubeName, LABELS, RELEASE_ID, RESTARTED_AT, WEB_PORT } from './names.js';
import type { KubeObject, ManifestInput, ManifestProcess } from './types.js';

/** Runs the slug's `.profile.d` scripts, then the Procfile command given as `$1` (never spliced into the script). */
const LAUNCH = 'for f in /app/.profile.d/*.sh; do [ -r "$f" ] && . "$f"; done; exec bash -c "$1"';
/** Same grace as a local dyno stop: SIGTERM, then SIGKILL after 30 s. */
const GRACE_SECONDS = 30;
/** The unprivileged user of the stack image. */
const DYNO_UID = 1000;

export const secretName = (version: number): string => `config-v${version}`;

/** The container command of a dyno: the launcher, then the Procfile command as `$1`. */
export const launchCommand = (command: string): string[] => ['bash', '-c', LAUNCH, 'dyno', command];

/** Every dyno container: non-root, no privilege escalation, no capabilities, read-only root. */
export const CONTAINER_SECURITY = {
  runAsNonRoot: true,
  runAsUser: DYNO_UID,
  runAsGroup: DYNO_UID,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
} as const;

/** Every dyno pod: no service-account token, no service links, the scratch volume, the pull Secret when configured. */
export function podBasics(imagePullSecret: string | null) {
  return {
    terminationGracePeriodSeconds: GRACE_SECONDS,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: { runAsNonRoot: true, fsGroup: DYNO_UID, seccompProfile: { type: 'RuntimeDefault' } },
    ...(imagePullSecret ? { imagePullSecrets: [{ name: imagePullSecret }] } : {}),
    volumes: [{ name: 'scratch', emptyDir: {} }],
  };
}

export const SCRATCH_MOUNT = { name: 'scratch', mountPath: '/tmp' };

/** Labels selecting one process type's pods (stable across releases: selectors are immutable). */
export function selectorLabels(appName: string, type: string): Record<string, string> {
  return { [LABELS.app]: kubeName(appName), [LABELS.processType]: kubeName(type) };
}

export function objectLabels(input: Pick<ManifestInput, 'app' | 'release'>): Record<string, string> {
  return {
    [LABELS.managedBy]: 'cupaas',
    [LABELS.name]: kubeName(input.app.name),
    [LABELS.app]: kubeName(input.app.name),
    [LABELS.release]: `v${input.release.version}`,
  };
}

/**
 * Requests are the size's quota, limits its hard limit: the kernel's OOM kill
 * at the limit is R15. CPU weight keeps the sizes' ratios (1024 shares = 100m).
 */
export function resources(size: DynoSize) {
  return {
    requests: { memory: `${size.memoryMb}Mi`, cpu: `${Math.round((size.cpuShares / 1024) * 100)}m` },
    limits: {
      memory: `${size.memoryMb * size.hardLimitFactor}Mi`,
      ...(size.cpuQuota > 0 ? { cpu: String(size.cpuQuota) } : {}),
    },
  };
}

/** The config vars, as one Secret per release so a rollback finds its own. */
export function configSecret(input: ManifestInput): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName(input.release.version), namespace: input.options.namespace, labels: objectLabels(input) },
    type: 'Opaque',
    stringData: { ...input.config },
  };
}

function readinessProbe(input: ManifestInput) {
  const check = input.healthCheckPath ? { httpGet: { path: input.healthCheckPath, port: 'web' } } : { tcpSocket: { port: 'web' } };
  return { ...check, periodSeconds: 2, failureThreshold: 3 };
}

/** One Deployment per process type: replicas = quantity. */
export function deployment(input: ManifestInput, proc: ManifestProcess): KubeObject {
  const web = proc.type === 'web';
  const selector = selectorLabels(input.app.name, proc.type);
  const labels = { ...objectLabels(input), ...selector };
  const container = {
    name: kubeName(proc.type),
    image: input.image,
    command: launchCommand(proc.command),
    workingDir: '/app',
    envFrom: [{ secretRef: { name: secretName(input.release.version) } }],
    env: [
      { name: 'PORT', value: String(WEB_PORT) },
      { name: 'CUPAAS_APP', value: input.app.name },
      { name: 'CUPAAS_RELEASE_VERSION', value: String(input.release.version) },
      { name: 'DYNO', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
    resources: resources(dynoSize(proc.size)),
    securityContext: CONTAINER_SECURITY,
    volumeMounts: [SCRATCH_MOUNT],
    ...(web ? { ports: [{ name: 'web', containerPort: WEB_PORT, protocol: 'TCP' }], readinessProbe: readinessProbe(input) } : {}),
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: kubeName(proc.type),
      namespace: input.options.namespace,
      labels,
      annotations: { [RELEASE_ID]: input.release.id, 'cupaas.io/size': proc.size },
    },
    spec: {
      replicas: proc.quantity,
      selector: { matchLabels: selector },
      // Web never drops below its quantity during a switch-over; others swap one at a time.
      strategy: { type: 'RollingUpdate', rollingUpdate: web ? { maxUnavailable: 0, maxSurge: 1 } : { maxUnavailable: 1, maxSurge: 0 } },
      template: {
        metadata: {
          labels,
          annotations: { [RELEASE_ID]: input.release.id, ...(proc.restartedAt ? { [RESTARTED_AT]: proc.restartedAt } : {}) },
        },
        spec: { ...podBasics(input.options.imagePullSecret), containers: [container] },
      },
    },
  };
}
