import type { DynoSize } from '../../config/index.js';

/** Labels every cupaas service and container carries; the driver finds and adopts its dynos by them. */
export const LABEL = {
  platform: 'io.cupaas.platform',
  appId: 'io.cupaas.app-id',
  app: 'io.cupaas.app',
  releaseId: 'io.cupaas.release-id',
  releaseVersion: 'io.cupaas.release-version',
  processType: 'io.cupaas.process-type',
  dyno: 'io.cupaas.dyno',
  dynoId: 'io.cupaas.dyno-id',
  startedAt: 'io.cupaas.started-at',
  web: 'io.cupaas.web',
  healthCheckPath: 'io.cupaas.health-check-path',
  /** The dyno as the reconciler specified it, without its env (that is in the container spec): for adoption. */
  spec: 'io.cupaas.dyno-spec',
} as const;

/** What one dyno needs to become a Swarm service. */
export interface SwarmDynoInput {
  dynoId: string;
  appId: string;
  appName: string;
  /** `web.1` */
  name: string;
  processType: string;
  releaseId: string;
  releaseVersion: number;
  /** Pullable and pinned: `REGISTRY/APP@sha256:...` (or `REGISTRY/APP:vN@sha256:...`). */
  image: string;
  /** The container's process: entrypoint and arguments (null keeps the image's), user and working dir (null: the image's). */
  process: { command: string[] | null; args: string[] | null; user: string | null; dir: string | null };
  size: DynoSize;
  env: Readonly<Record<string, string>>;
  web: boolean;
  /** The port a web dyno listens on inside its container (`$PORT`). */
  containerPort: number;
  /** The node port a web dyno is published on (host mode), as the router dials it. */
  publishedPort: number;
  healthCheckPath: string | null;
  /** The image has bash (the stack image does): the in-container health check can run. */
  hasShell: boolean;
  /** The app's overlay network: its tasks reach each other and nothing of other apps. */
  network: string;
  /** Which control plane owns the service (one swarm may serve several homes). */
  platformId: string;
  stopTimeoutMs: number;
  bootTimeoutMs: number;
  startedAt: number;
  /** Nodes that already run more dynos of this process type than others (spread placement). */
  avoidNodeIds: readonly string[];
  /** Stored on the service as `LABEL.spec`, read back when a restarted control plane adopts it. */
  restore: string;
}

/** The Engine API's service spec, as far as cupaas writes it. */
export interface SwarmServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: {
    ContainerSpec: {
      Image: string;
      Command?: string[];
      Args?: string[];
      User?: string;
      Dir?: string;
      Env: string[];
      Labels: Record<string, string>;
      StopSignal: string;
      StopGracePeriod: number;
      CapabilityDrop: string[];
      Healthcheck?: { Test: string[]; Interval: number; Timeout: number; Retries: number; StartPeriod: number };
    };
    Resources: { Limits: { MemoryBytes: number; NanoCPUs?: number; Pids: number } };
    RestartPolicy: { Condition: 'none' };
    Placement: { Constraints: string[]; Preferences: Array<{ Spread: { SpreadDescriptor: string } }> };
    Networks: Array<{ Target: string }>;
    /** Bumped to make the swarm replace the task (a retry once the image is in the registry). */
    ForceUpdate?: number;
  };
  Mode: { Replicated: { Replicas: number } };
  UpdateConfig: { Parallelism: number; Order: 'start-first'; FailureAction: 'rollback' };
  EndpointSpec: { Mode: 'dnsrr'; Ports: Array<{ Protocol: 'tcp'; TargetPort: number; PublishedPort: number; PublishMode: 'host' }> };
}

const MS = 1_000_000;
/** Capabilities no web server needs; dropping them keeps a compromised dyno from raw sockets, device nodes and the like. */
const DROPPED_CAPABILITIES = ['NET_RAW', 'MKNOD', 'AUDIT_WRITE', 'SETFCAP', 'SYS_CHROOT'];
/**
 * The in-container check: accept on `$PORT`, or `GET $CUPAAS_HEALTH_PATH` below 400.
 * The path comes in through the environment, never spliced into the script.
 */
const HEALTH_SCRIPT = [
  'exec 3<>/dev/tcp/127.0.0.1/$PORT || exit 1',
  '[ -z "$CUPAAS_HEALTH_PATH" ] && exit 0',
  'printf "GET %s HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n" "$CUPAAS_HEALTH_PATH" >&3',
  'read -r _ code _ <&3',
  '[ "$code" -ge 200 ] && [ "$code" -lt 400 ]',
].join('; ');

/** A Swarm service name for a dyno: readable, unique per dyno id, within the 63 characters Swarm allows. */
export function serviceName(input: Pick<SwarmDynoInput, 'appName' | 'name' | 'dynoId'>): string {
  const dyno = input.name.replace(/[^A-Za-z0-9_-]/g, '-');
  const id = input.dynoId.replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
  return `${input.appName.slice(0, 63 - dyno.length - id.length - 2)}_${dyno}_${id}`;
}

/**
 * The Swarm service that runs one dyno: one replica of the release image by
 * digest, the dyno size as limits, the dyno env plus `PORT`, a host-mode
 * published port chosen by the driver (no routing mesh: the router dials node
 * address + that port; the scheduler never puts two users of one port on a node),
 * DNS round-robin instead of a VIP, no engine restarts (the reconciler decides),
 * and spread over nodes. Pure.
 */
export function dynoServiceSpec(input: SwarmDynoInput): SwarmServiceSpec {
  const labels = dynoLabels(input);
  const env: Record<string, string> = { ...input.env, PORT: String(input.containerPort) };
  if (input.healthCheckPath) env.CUPAAS_HEALTH_PATH = input.healthCheckPath;
  const cpus = input.size.cpuQuota;
  return {
    Name: serviceName(input),
    Labels: { ...labels, [LABEL.spec]: input.restore },
    TaskTemplate: {
      ContainerSpec: {
        Image: input.image,
        ...(input.process.command ? { Command: input.process.command } : {}),
        ...(input.process.args ? { Args: input.process.args } : {}),
        ...(input.process.user ? { User: input.process.user } : {}),
        ...(input.process.dir ? { Dir: input.process.dir } : {}),
        Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        Labels: labels,
        StopSignal: 'SIGTERM',
        StopGracePeriod: input.stopTimeoutMs * MS,
        CapabilityDrop: DROPPED_CAPABILITIES,
        ...(input.web && input.hasShell ? { Healthcheck: healthCheck(input) } : {}),
      },
      Resources: {
        Limits: {
          MemoryBytes: Math.round(input.size.memoryMb * input.size.hardLimitFactor * 1024 * 1024),
          ...(cpus > 0 ? { NanoCPUs: cpus * 1e9 } : {}),
          Pids: input.size.pidsLimit,
        },
      },
      RestartPolicy: { Condition: 'none' },
      Placement: {
        Constraints: input.avoidNodeIds.map((id) => `node.id!=${id}`),
        Preferences: [{ Spread: { SpreadDescriptor: 'node.id' } }],
      },
      Networks: [{ Target: input.network }],
    },
    Mode: { Replicated: { Replicas: 1 } },
    UpdateConfig: { Parallelism: 1, Order: 'start-first', FailureAction: 'rollback' },
    EndpointSpec: {
      Mode: 'dnsrr',
      Ports: input.web ? [{ Protocol: 'tcp', TargetPort: input.containerPort, PublishedPort: input.publishedPort, PublishMode: 'host' }] : [],
    },
  };
}

function dynoLabels(input: SwarmDynoInput): Record<string, string> {
  return {
    [LABEL.platform]: input.platformId,
    [LABEL.appId]: input.appId,
    [LABEL.app]: input.appName,
    [LABEL.releaseId]: input.releaseId,
    [LABEL.releaseVersion]: String(input.releaseVersion),
    [LABEL.processType]: input.processType,
    [LABEL.dyno]: input.name,
    [LABEL.dynoId]: input.dynoId,
    [LABEL.startedAt]: String(input.startedAt),
    [LABEL.web]: String(input.web),
    ...(input.healthCheckPath ? { [LABEL.healthCheckPath]: input.healthCheckPath } : {}),
  };
}

/**
 * The engine's own check, for a dyno that stops answering after boot (the driver probes boot itself, from
 * outside). Every check is an exec on the node: a long interval keeps ten dynos from costing a busy node a
 * process a second, and a timeout as long as the interval keeps a slow exec on a loaded node from killing a
 * healthy dyno.
 */
function healthCheck(input: SwarmDynoInput): NonNullable<SwarmServiceSpec['TaskTemplate']['ContainerSpec']['Healthcheck']> {
  return { Test: ['CMD', 'bash', '-c', HEALTH_SCRIPT], Interval: 10_000 * MS, Timeout: 10_000 * MS, Retries: 3, StartPeriod: input.bootTimeoutMs * MS };
}

/**
 * Nodes a new dyno of a process type should avoid so that dynos spread: those
 * already running more of that type than the least loaded eligible node.
 * Empty when every eligible node carries the same number.
 */
export function nodesToAvoid(eligibleNodeIds: readonly string[], nodeIdsOfSameType: readonly string[]): string[] {
  if (eligibleNodeIds.length < 2) return [];
  const count = new Map(eligibleNodeIds.map((id) => [id, 0]));
  for (const id of nodeIdsOfSameType) if (count.has(id)) count.set(id, (count.get(id) as number) + 1);
  const min = Math.min(...count.values());
  return [...count].filter(([, n]) => n > min).map(([id]) => id);
}
