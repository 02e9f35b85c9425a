import type { KubeObject } from './types.js';

/** An object the cluster holds with cupaas's labels, as listed for pruning. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
}

export interface ApplyPlan {
  /** Server-side applied in this order (namespace first); unchanged objects are no-ops on the server. */
  apply: readonly KubeObject[];
  /** Owned objects nothing desired names any more: removed process types, Secrets of old releases, a PDB after scaling web below 2. */
  prune: readonly ObjectRef[];
}

const key = (o: { kind: string; name: string; namespace?: string | null }) => `${o.kind}/${o.namespace ?? ''}/${o.name}`;
const secretVersion = (name: string): number | null => {
  const m = /^config-v(\d+)$/.exec(name);
  return m ? Number(m[1]) : null;
};

/**
 * Desired objects against the owned objects observed in the app's namespace.
 * Level-based: applying everything desired is idempotent, so the plan does not
 * diff fields. The Secret of the release before the newest desired one is kept
 * so pods of the previous ReplicaSet can still restart during a switch-over.
 */
export function planApply(desired: readonly KubeObject[], observed: readonly ObjectRef[]): ApplyPlan {
  const wanted = new Set(desired.map((o) => key({ kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace })));
  const desiredSecret = desired.map((o) => (o.kind === 'Secret' ? secretVersion(o.metadata.name) : null)).find((v) => v !== null);
  const older = observedSecretVersions(observed).filter((v) => desiredSecret != null && v < desiredSecret);
  const previous = older.length > 0 ? `config-v${Math.max(...older)}` : null;
  const prune = observed.filter((o) => o.kind !== 'Namespace' && !wanted.has(key(o)) && !(o.kind === 'Secret' && o.name === previous));
  return { apply: desired, prune };
}

function observedSecretVersions(observed: readonly ObjectRef[]): number[] {
  return observed.flatMap((o) => {
    const v = o.kind === 'Secret' ? secretVersion(o.name) : null;
    return v === null ? [] : [v];
  });
}
