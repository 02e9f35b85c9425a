/** Labels every object cupaas owns carries; selectors and pruning rely on them. */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
  app: 'cupaas.io/app',
  processType: 'cupaas.io/process-type',
  release: 'cupaas.io/release',
  /** On the namespace only: the app's id, so a restarted control plane knows whose objects it finds. */
  appId: 'cupaas.io/app-id',
  /** On one-off dyno pods and their Secrets (`run.1`): outside every formation selector and prune. */
  oneOff: 'cupaas.io/one-off',
} as const;

/** Annotation naming the release id (on Deployments, pod templates and the namespace). */
export const RELEASE_ID = 'cupaas.io/release-id';
/** Pod template annotation: a restart request newer than the pods replaces them (as `kubectl rollout restart`). */
export const RESTARTED_AT = 'cupaas.io/restarted-at';

export const MANAGER = 'cupaas';
/** The container port web dynos listen on (`$PORT`). */
export const WEB_PORT = 5000;

/**
 * A DNS-1123 label from a process type or app name (Procfile types may hold
 * `_` or capitals that Kubernetes names refuse).
 */
export function kubeName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return (cleaned || 'x').slice(0, 63).replace(/-+$/, '');
}

/** The namespace of an app: `PREFIX` + its name. */
export const appNamespace = (prefix: string, appName: string): string => kubeName(`${prefix}${appName}`);
