type Env = Readonly<Record<string, string | undefined>>;

/** Where and how apps run on a Kubernetes cluster (the `kubernetes` runtime and `apps:manifests`). */
export interface KubernetesConfig {
  /** Kubeconfig file of the cluster; null: in-cluster config when running in a pod, else none. */
  kubeconfig: string | null;
  /** Running in a pod (the service account's cluster is used when no kubeconfig is given). */
  inCluster: boolean;
  /** An app's namespace is this prefix plus its name. */
  namespacePrefix: string;
  /** `ingressClassName` of apps' Ingresses; null: the cluster's default class. */
  ingressClass: string | null;
  /** The port the cluster's Ingress serves HTTP on, for apps' URLs (`apps:info`). */
  ingressPort: number;
  /** Registry host[:port] the cluster's nodes pull release images from. */
  registry: string;
  /** dockerconfigjson Secret in each app namespace for pulling from that registry. */
  imagePullSecret: string | null;
  /** Address pods reach the platform host at, for add-ons it serves; null refuses such add-ons. */
  platformHost: string | null;
  /** Networks (CIDR) pods connect to add-on servers from (the cluster's pod network). */
  addonClients: string;
  /** Credentials for the image pull Secret the driver creates in each app namespace; null: the operator provides it. */
  registryAuth: { username: string; password: string } | null;
}

function port(value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`CUPAAS_KUBERNETES_INGRESS_PORT must be a port number (1-65535), got "${value}".`);
  return n;
}

export function kubernetesConfig(env: Env): KubernetesConfig {
  return {
    kubeconfig: env.KUBECONFIG || null,
    inCluster: Boolean(env.KUBERNETES_SERVICE_HOST),
    namespacePrefix: env.CUPAAS_KUBERNETES_NAMESPACE_PREFIX ?? 'cupaas-',
    ingressClass: env.CUPAAS_KUBERNETES_INGRESS_CLASS || null,
    ingressPort: port(env.CUPAAS_KUBERNETES_INGRESS_PORT, 80),
    registry: (env.CUPAAS_REGISTRY_URL || '127.0.0.1:5001').replace(/^\w+:\/\//, '').replace(/\/+$/, ''),
    imagePullSecret: env.CUPAAS_KUBERNETES_PULL_SECRET || null,
    platformHost: env.CUPAAS_KUBERNETES_PLATFORM_HOST || null,
    addonClients: env.CUPAAS_KUBERNETES_ADDON_CLIENTS || '10.0.0.0/8',
    registryAuth: env.CUPAAS_KUBERNETES_REGISTRY_USERNAME && env.CUPAAS_KUBERNETES_REGISTRY_PASSWORD
      ? { username: env.CUPAAS_KUBERNETES_REGISTRY_USERNAME, password: env.CUPAAS_KUBERNETES_REGISTRY_PASSWORD }
      : null,
  };
}
