/** A Kubernetes object as sent to the API server: plain JSON, no client classes. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** One process type of the formation as the manifests need it. */
export interface ManifestProcess {
  type: string;
  /** The Procfile command. */
  command: string;
  quantity: number;
  size: string;
  /** ISO time of the latest restart request for this type; pods made before it are replaced. */
  restartedAt?: string | null;
}

/** Everything an app's manifests are made from; nothing is read from elsewhere. */
export interface ManifestInput {
  app: { id: string; name: string };
  release: { id: string; version: number };
  /** Pullable image reference of the release (`REGISTRY/APP:vN`). */
  image: string;
  processes: readonly ManifestProcess[];
  /** Config vars, add-on URLs included (already made reachable from pods). */
  config: Readonly<Record<string, string>>;
  /** Hostnames the app answers to (default and custom domains). */
  hostnames: readonly string[];
  /** Web pods are ready once `GET path` answers below 400; null: once they accept on $PORT. */
  healthCheckPath: string | null;
  options: ManifestOptions;
}

export interface ManifestOptions {
  /** Namespace of the app's objects. */
  namespace: string;
  /** `spec.ingressClassName`; null leaves it to the cluster's default class. */
  ingressClass: string | null;
  /** Secret (type dockerconfigjson) in the namespace that lets nodes pull from the registry. */
  imagePullSecret: string | null;
}
