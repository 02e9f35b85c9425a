import { kubeName } from './names.js';
import type { KubeObject, ManifestInput } from './types.js';
import { objectLabels, selectorLabels } from './workload.js';

const SERVICE_PORT = 80;

/** The web Service: the Ingress (or the cupaas router inside the cluster) sends requests here. */
export function webService(input: ManifestInput): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: input.options.namespace, labels: objectLabels(input) },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(input.app.name, 'web'),
      ports: [{ name: 'http', port: SERVICE_PORT, targetPort: 'web', protocol: 'TCP' }],
    },
  };
}

/** One rule per hostname of the app, all to the web Service. */
export function ingress(input: ManifestInput): KubeObject {
  const backend = { service: { name: 'web', port: { number: SERVICE_PORT } } };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: kubeName(input.app.name), namespace: input.options.namespace, labels: objectLabels(input) },
    spec: {
      ...(input.options.ingressClass ? { ingressClassName: input.options.ingressClass } : {}),
      rules: input.hostnames.map((host) => ({
        host,
        http: { paths: [{ path: '/', pathType: 'Prefix', backend }] },
      })),
    },
  };
}

/** With 2+ web dynos, voluntary evictions (node drains) take at most one at a time. */
export function webDisruptionBudget(input: ManifestInput): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: input.options.namespace, labels: objectLabels(input) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(input.app.name, 'web') } },
  };
}
