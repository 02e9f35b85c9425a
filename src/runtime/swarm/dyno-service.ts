import { DYNO_SIZES, type DynoSize } from '../../config/index.js';
import type { DynoSpec } from '../types.js';
import type { ListedService } from './cluster.js';
import { LABEL, type SwarmServiceSpec, dynoServiceSpec } from './service-spec.js';

/** How a dyno's release runs as an image on the nodes. */
export interface DynoImage {
  /** Pullable from every node, pinned by digest. */
  ref: string;
  /** Replaces the image's command; null keeps it. */
  args: string[] | null;
  /** bash is in the image (the stack image), so the in-container health check can run. */
  hasShell: boolean;
  /** The port the process listens on inside its container; it gets it as `$PORT`. */
  containerPort: number;
}

/** What the driver knows besides the spec when it creates a dyno's service. */
export interface ServiceContext {
  platformId: string;
  network: string;
  stopTimeoutMs: number;
  bootTimeoutMs: number;
  avoidNodeIds: readonly string[];
}

export const appNameOf = (spec: DynoSpec): string => spec.env.CUPAAS_APP ?? spec.appId;
const sizeOf = (name: string): DynoSize => DYNO_SIZES.find((s) => s.name === name) ?? (DYNO_SIZES[0] as DynoSize);

/** The service spec of a dyno, carrying what adoption needs to rebuild the DynoSpec. */
export function serviceForDyno(spec: DynoSpec, image: DynoImage, startedAt: number, ctx: ServiceContext): SwarmServiceSpec {
  return dynoServiceSpec({
    ...spec,
    appName: appNameOf(spec),
    image: image.ref,
    args: image.args,
    size: sizeOf(spec.size),
    containerPort: image.containerPort,
    hasShell: image.hasShell,
    startedAt,
    ...ctx,
    restore: JSON.stringify({ ...spec, env: {} }),
  });
}

/** The dyno a service was created for (env back from its container spec), or null for a service that is not one. */
export function dynoOfService(service: ListedService): { spec: DynoSpec; startedAt: number } | null {
  const labels = service.Spec.Labels;
  const raw = labels[LABEL.spec];
  if (!raw) return null;
  try {
    const spec = JSON.parse(raw) as DynoSpec;
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
