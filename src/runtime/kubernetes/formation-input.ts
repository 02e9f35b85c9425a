import type { KubernetesConfig } from '../../config/index.js';
import type { Backend } from '../../domain/index.js';
import { invalid } from '../../shared/errors.js';
import { isoTime } from '../../shared/time.js';
import type { FormationSpec } from '../types.js';
import { appNamespace, kubeName } from './names.js';
import type { PodDyno } from './pod-state.js';
import type { KubeObject, ManifestInput } from './types.js';
import { objectLabels } from './workload.js';

/** The parts of the `kubernetes` config a formation's manifests depend on. */
export type FormationOptions = Pick<KubernetesConfig, 'namespacePrefix' | 'ingressClass' | 'imagePullSecret' | 'registry' | 'registryAuth'>;

/**
 * The manifest input of the desired state the reconciler handed over. Pure.
 * The release must carry a pullable image reference: the cluster's nodes pull
 * it from the registry.
 */
export function formationManifestInput(spec: FormationSpec, opts: FormationOptions): ManifestInput {
  const image = spec.release.artifact.image;
  if (!image) throw invalid(`v${spec.release.version} of ${spec.appName} has no image: the kubernetes runtime runs release images (deploy again with images on).`);
  const restartOf = (type: string) => Math.max(spec.restarts[''] ?? 0, spec.restarts[type] ?? 0);
  return {
    app: { id: spec.appId, name: spec.appName },
    release: { id: spec.release.id, version: spec.release.version },
    image: image.ref,
    processes: spec.processes.map((p) => ({
      ...p,
      restartedAt: restartOf(p.type) > 0 ? isoTime(restartOf(p.type)) : null,
    })),
    config: spec.release.config,
    hostnames: spec.hostnames,
    healthCheckPath: spec.release.healthCheckPath,
    options: { namespace: appNamespace(opts.namespacePrefix, spec.appName), ingressClass: opts.ingressClass, imagePullSecret: opts.imagePullSecret },
  };
}

/**
 * The image pull Secret (type dockerconfigjson) for the registry, when both
 * its name and the registry's credentials are configured. Applied by the
 * driver with the app's objects (never part of `apps:manifests`, which must
 * not print the registry's password).
 */
export function pullSecret(input: Pick<ManifestInput, 'app' | 'release' | 'options'>, opts: FormationOptions): KubeObject | null {
  if (!opts.imagePullSecret || !opts.registryAuth) return null;
  const { username, password } = opts.registryAuth;
  const auths = { [opts.registry]: { username, password, auth: Buffer.from(`${username}:${password}`).toString('base64') } };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: opts.imagePullSecret, namespace: input.options.namespace, labels: objectLabels(input) },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': JSON.stringify({ auths }) },
  };
}

/**
 * Where the platform router may forward an app's requests: its web Service,
 * when the control plane runs inside the cluster (cluster DNS resolves it)
 * and a web dyno is up. Outside the cluster the Ingress serves the app and
 * the router gets nothing.
 */
export function routerBackends(inCluster: boolean, namespace: string, dynos: readonly PodDyno[]): Backend[] {
  if (!inCluster || !dynos.some((d) => d.processType === 'web' && d.state === 'up')) return [];
  return [{ dynoId: `service:${namespace}/web`, dynoName: 'web', host: `web.${kubeName(namespace)}.svc`, port: 80 }];
}
