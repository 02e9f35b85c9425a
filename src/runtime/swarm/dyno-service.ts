import { dynoSize } from '../../config/index.js';
import { containerOptions } from '../docker/container.js';
import type { DynoSpec } from '../types.js';
import type { ListedService } from './cluster.js';
import { LABEL, type SwarmDynoInput, type SwarmServiceSpec, dynoServiceSpec } from './service-spec.js';

/** How a dyno's release runs as an image on the nodes. */
export interface DynoImage {
  /** Pullable from every node, pinned by digest. */
  ref: string;
  process: SwarmDynoInput['process'];
  /** bash is in the image (the stack image), so the in-container health check can run. */
  hasShell: boolean;
  /** The port the image listens on whatever `$PORT` says (Compose images); null: it reads `$PORT`. */
  containerPort: number | null;
}

/**
 * The image a release's dyno runs on the swarm: the release's pushed tag in
 * the registry (`REGISTRY/APP:vN`, or the artifact's own reference when it is
 * pullable), kept as given when pinned by digest; run the way the docker
 * driver runs a slug image (its init, the Procfile command through the slug's
 * profile, the stack's user), or a Compose service's image as it says.
 * Null when the nodes have nothing to pull.
 */
export function releaseImage(spec: DynoSpec, registry: string | null): DynoImage | null {
  const image = spec.artifact.image;
  if (!image) return null;
  const ref = image.ref.includes('/') ? image.ref : registry ? `${registry}/${appNameOf(spec)}:v${spec.releaseVersion}` : null;
  if (!ref) return null;
  const c = containerOptions(spec, { image: ref, home: '', network: '', name: '' });
  const own = spec.artifact.process !== undefined;
  return {
    ref,
    process: { command: (c.Entrypoint as string[] | undefined) ?? null, args: (c.Cmd as string[] | undefined) ?? null, user: c.User ?? null, dir: c.WorkingDir ?? null },
    // A Compose service's image may have no bash: the driver's own check from outside decides when it is up.
    hasShell: !own,
    containerPort: spec.artifact.process?.port ?? null,
  };
}

/** What the driver decides besides the spec when it creates a dyno's service. */
export interface ServiceContext {
  platformId: string;
  network: string;
  stopTimeoutMs: number;
  bootTimeoutMs: number;
  avoidNodeIds: readonly string[];
  publishedPort: number;
}

export const appNameOf = (spec: DynoSpec): string => spec.env.CUPAAS_APP ?? spec.appId;

/** The service spec of a dyno, carrying what adoption needs to rebuild the DynoSpec. */
export function serviceForDyno(spec: DynoSpec, image: DynoImage, startedAt: number, ctx: ServiceContext): SwarmServiceSpec {
  const { env: _env, ...rest } = spec;
  return dynoServiceSpec({
    ...spec,
    appName: appNameOf(spec),
    image: image.ref,
    process: image.process,
    size: dynoSize(spec.size),
    // A dyno that reads $PORT listens on the published port itself, so $PORT is where the router reaches it.
    containerPort: image.containerPort ?? ctx.publishedPort,
    hasShell: image.hasShell,
    startedAt,
    ...ctx,
    restore: JSON.stringify(rest),
  });
}

/** The dyno a service was created for (env back from its container spec), or null for a service that is not one. */
export function dynoOfService(service: ListedService): { spec: DynoSpec; startedAt: number } | null {
  const labels = service.Spec.Labels;
  const raw = labels[LABEL.spec];
  if (!raw) return null;
  try {
    const spec = JSON.parse(raw) as Omit<DynoSpec, 'env'>;
    const env: Record<string, string> = {};
    for (const kv of service.Spec.TaskTemplate.ContainerSpec.Env ?? []) {
      const eq = kv.indexOf('=');
      const key = kv.slice(0, eq);
      if (key !== 'PORT' && key !== 'CUPAAS_HEALTH_PATH') env[key] = kv.slice(eq + 1);
    }
    return { spec: { ...spec, env }, startedAt: Number(labels[LABEL.startedAt]) || Date.now() };
  } catch {
    return null;
  }
}

/** Host-mode ports handed to web dynos: outside Linux's ephemeral range and the usual service ports. */
const PORTS = { first: 20000, count: 10000 };

/** A published port none of `used` has, picked at random so two control planes rarely collide. */
export function pickPort(used: ReadonlySet<number>): number {
  for (;;) {
    const port = PORTS.first + Math.floor(Math.random() * PORTS.count);
    if (!used.has(port)) return port;
  }
}
