import { LABELS, RELEASE_ID } from './names.js';
import type { KubeObject, ManifestInput } from './types.js';
import { ingress, webDisruptionBudget, webService } from './traffic.js';
import { configSecret, deployment, objectLabels } from './workload.js';

/**
 * The Kubernetes objects that run one release of an app, in apply order
 * (namespace first). Pure: the same input gives the same objects, so applying
 * them again changes nothing.
 */
export function appManifests(input: ManifestInput): KubeObject[] {
  const web = input.processes.find((p) => p.type === 'web');
  return [
    namespaceObject(input),
    configSecret(input),
    ...[...input.processes].sort((a, b) => a.type.localeCompare(b.type)).map((p) => deployment(input, p)),
    ...(web ? [webService(input)] : []),
    ...(web && input.hostnames.length > 0 ? [ingress(input)] : []),
    ...(web && web.quantity >= 2 ? [webDisruptionBudget(input)] : []),
  ];
}

/** The app's namespace: labelled with the app's id and annotated with the release, so a restarted control plane knows whose it is. */
export function namespaceObject(input: Pick<ManifestInput, 'app' | 'release' | 'options'>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: input.options.namespace,
      labels: { ...objectLabels(input), [LABELS.appId]: input.app.id },
      annotations: { [RELEASE_ID]: input.release.id },
    },
  };
}
