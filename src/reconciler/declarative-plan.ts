import type { Backend } from '../domain/index.js';
import type { FormationDyno, FormationSpec, FormationStatus } from '../runtime/index.js';
import type { Action, DesiredApp } from './model.js';

/** What the reconciler does with a declarative driver (design/021). */
export type DeclarativeAction =
  | { kind: 'apply'; spec: FormationSpec; key: string }
  | { kind: 'remove'; appId: string }
  | Extract<Action, { kind: 'release-status' | 'route' }>;

export interface DeclarativeObserved {
  statuses: readonly FormationStatus[];
  /** The spec (by key) last handed to the driver per app, and when. */
  applied: ReadonlyMap<string, { key: string; at: number }>;
  /** Dyno ids last given to the router, per app. */
  backends: ReadonlyMap<string, readonly string[]>;
}

/**
 * The desired state of one app as a declarative driver gets it; null when
 * nothing should run (no release with a build).
 */
export function formationSpec(app: DesiredApp, hostnames: readonly string[]): FormationSpec | null {
  const release = app.release;
  if (!release) return null;
  const types = new Set(app.processes.map((p) => p.type));
  // Restarts of single dynos (`web.1`) have no stable target on a declarative runtime: types and all only.
  const restarts = Object.fromEntries(Object.entries(app.restarts).filter(([target]) => target === '' || types.has(target)));
  return {
    appId: app.appId,
    appName: app.appName,
    release: { id: release.id, version: release.version, artifact: release.artifact, config: release.config, healthCheckPath: release.healthCheckPath },
    processes: app.processes.map((p) => ({ type: p.type, command: p.command, quantity: p.quantity, size: p.size })),
    hostnames,
    restarts,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

function routeIfChanged(out: DeclarativeAction[], appId: string, next: readonly Backend[], observed: DeclarativeObserved) {
  const current = observed.backends.get(appId);
  if (!current && next.length === 0) return;
  if (!current || !sameSet(current, next.map((b) => b.dynoId))) out.push({ kind: 'route', appId, backends: [...next] });
}

/**
 * Decides, without I/O, what to hand a declarative driver: the spec of every
 * app whose desired state changed since it was last applied (or longer ago
 * than `resyncMs`, so drift is corrected), removal of apps nothing desires,
 * the verdict of a pending release from its rollout, and the router's
 * backends. Level-based: the same inputs give the same actions.
 */
export function planDeclarative(
  desired: readonly DesiredApp[],
  hostnames: (appId: string) => readonly string[],
  observed: DeclarativeObserved,
  now: number,
  resyncMs: number,
): DeclarativeAction[] {
  const out: DeclarativeAction[] = [];
  const statusOf = new Map(observed.statuses.map((s) => [s.appId, s]));
  const running = new Set<string>();
  for (const app of desired) {
    const spec = formationSpec(app, hostnames(app.appId));
    if (!spec || !app.release) continue;
    running.add(app.appId);
    const key = JSON.stringify(spec);
    const last = observed.applied.get(app.appId);
    if (!last || last.key !== key || now - last.at >= resyncMs) out.push({ kind: 'apply', spec, key });
    const status = statusOf.get(app.appId);
    routeIfChanged(out, app.appId, status?.backends ?? [], observed);
    if (app.release.status !== 'pending' || last?.key !== key || status?.releaseId !== app.release.id) continue;
    const verdict = { kind: 'release-status' as const, appId: app.appId, releaseId: app.release.id, version: app.release.version };
    if (status.rollout.state === 'complete') out.push({ ...verdict, status: 'succeeded' });
    if (status.rollout.state === 'failed') out.push({ ...verdict, status: 'failed', reason: `rollout failed: ${status.rollout.reason}` });
  }
  for (const s of observed.statuses) if (!running.has(s.appId)) out.push({ kind: 'remove', appId: s.appId });
  for (const appId of observed.backends.keys()) if (!running.has(appId)) routeIfChanged(out, appId, [], observed);
  return out;
}

const CODE_LINES: Readonly<Record<string, string>> = {
  R15: 'Error R15 (Memory quota vastly exceeded)',
  R10: 'Process exited before it was ready',
};

/**
 * The `heroku[...]` lines a change of observed dynos is worth, as the
 * per-dyno path writes them: state changes, restarts with their reason and
 * Heroku code. Pure: fed the previous and the new observation.
 */
export function dynoChangeLines(prev: readonly FormationDyno[], next: readonly FormationDyno[]): { process: string; message: string }[] {
  const before = new Map(prev.map((d) => [d.id, d]));
  const lines: { process: string; message: string }[] = [];
  for (const d of next) {
    const p = before.get(d.id);
    const say = (message: string) => lines.push({ process: d.name, message });
    if (p && d.restarts > p.restarts) {
      if (d.code && CODE_LINES[d.code]) say(CODE_LINES[d.code] as string);
      say(`Process restarted by the runtime (${d.restarts} restarts${d.reason ? `, last: ${d.reason}` : ''})`);
    }
    const from = p?.state ?? null;
    if (from !== d.state && !(from === null && d.state === 'starting')) {
      say(`State changed from ${from ?? 'starting'} to ${d.state === 'stopping' ? 'down' : d.state}${d.state === 'crashed' && d.reason ? ` (${d.reason})` : ''}`);
    }
  }
  return lines;
}
