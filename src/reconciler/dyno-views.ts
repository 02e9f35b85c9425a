import type { ObservedDyno } from '../runtime/index.js';
import type { CrashRecord, DesiredApp } from './model.js';
import { compareText } from '../shared/compare.js';
import { isoTime } from '../shared/time.js';

export type DynoState = 'starting' | 'up' | 'crashed' | 'down';

/** A dyno as `ps` and the API show it. */
export interface DynoView {
  id: string;
  name: string;
  type: string;
  state: DynoState;
  /** ISO time of the last state change. */
  since: string;
  command: string;
  size: string;
  release: { id: string; version: number };
  isolation: string;
  /** The cluster node, when the runtime has several. */
  node: string | null;
  /** Why it is starting still or crashed (the cluster's word on a pending task, the crash's reason); null otherwise. */
  reason: string | null;
}

const view = (d: ObservedDyno, state: DynoState, since: number, reason: string | null = null): DynoView => ({
  id: d.spec.dynoId,
  name: d.spec.name,
  type: d.spec.processType,
  state,
  since: isoTime(since),
  command: d.spec.command,
  size: d.spec.size,
  release: { id: d.spec.releaseId, version: d.spec.releaseVersion },
  isolation: d.isolation,
  node: d.node ?? null,
  reason: reason ?? (state === 'starting' ? (d.stateReason ?? null) : null),
});

const byName = (a: DynoView, b: DynoView) => {
  const [ta, na] = a.name.split('.');
  const [tb, nb] = b.name.split('.');
  return compareText(ta ?? '', tb ?? '') || Number(na) - Number(nb) || compareText(a.since, b.since);
};

/**
 * Running dynos (`stopping` shows as `down`), plus the slots of the current
 * release whose dyno crashed and waits for its restart.
 */
export function dynoViews(app: DesiredApp | undefined, dynos: readonly ObservedDyno[], crashes: readonly CrashRecord[]): DynoView[] {
  if (!app) return [];
  const mine = dynos.filter((d) => d.spec.appId === app.appId);
  const out = mine.map((d) => view(d, d.state === 'stopping' ? 'down' : d.state, d.since));
  const slots = new Set(app.processes.flatMap((p) => Array.from({ length: p.quantity }, (_, i) => `${p.type}.${i + 1}`)));
  for (const c of crashes) {
    const { spec } = c.dyno;
    if (spec.appId !== app.appId || spec.releaseId !== app.release?.id || !slots.has(spec.name)) continue;
    if (mine.some((d) => d.spec.name === spec.name && d.state !== 'stopping')) continue;
    out.push(view(c.dyno, 'crashed', c.exitedAt, c.reason));
  }
  return out.sort(byName);
}
