import type { Backend } from '../domain/index.js';
import type { ObservedDyno } from '../runtime/index.js';
import { bootFailureReason, crashDelay, restartedSince } from './backoff.js';
import type { Action, DesiredApp, DesiredProcess, DesiredRelease, Observed, Plan, PlanSettings, StopReason } from './model.js';

interface Slot {
  process: DesiredProcess;
  name: string;
}

/** Collects actions and the earliest time the plan should be made again. */
class PlanBuilder {
  readonly actions: Action[] = [];
  wakeAt: number | null = null;
  wake(t: number) {
    this.wakeAt = this.wakeAt === null ? t : Math.min(this.wakeAt, t);
  }
  stop(dyno: ObservedDyno, reason: StopReason, routed: ReadonlySet<string>) {
    this.actions.push({ kind: 'stop', dyno, reason, drain: routed.has(dyno.spec.dynoId) });
  }
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

const backendOf = (d: ObservedDyno): Backend => ({
  dynoId: d.spec.dynoId,
  dynoName: d.spec.name,
  host: d.host as string,
  port: d.port as number,
});

function routeIfChanged(b: PlanBuilder, appId: string, next: readonly ObservedDyno[], observed: Observed) {
  const ids = next.map((d) => d.spec.dynoId);
  const current = observed.backends.get(appId);
  if (!current || !sameSet(current, ids)) b.actions.push({ kind: 'route', appId, backends: next.map(backendOf) });
}

const slotsOf = (processes: readonly DesiredProcess[]): Slot[] =>
  processes.flatMap((p) => Array.from({ length: p.quantity }, (_, i) => ({ process: p, name: `${p.type}.${i + 1}` })));

/**
 * Decides, without any I/O, what to start, stop and route so that the
 * runtime converges to the desired state. Level-based: the same inputs give
 * the same plan, however often it is made.
 */
export function plan(desired: readonly DesiredApp[], observed: Observed, now: number, s: PlanSettings): Plan {
  const b = new PlanBuilder();
  const wanted = new Set(desired.map((a) => a.appId));
  for (const app of desired) planApp(b, app, observed, now, s);
  const gone = new Set([...observed.dynos.map((d) => d.spec.appId), ...observed.backends.keys()]);
  for (const appId of gone) {
    if (wanted.has(appId)) continue;
    planNothing(b, appId, observed);
  }
  return { actions: b.actions, wakeAt: b.wakeAt };
}

/** An app that runs nothing (destroyed, or its release has no slug). */
function planNothing(b: PlanBuilder, appId: string, observed: Observed) {
  const routed = new Set(observed.backends.get(appId) ?? []);
  routeIfChanged(b, appId, [], observed);
  for (const d of observed.dynos) {
    if (d.spec.appId === appId && d.state !== 'stopping') b.stop(d, 'not-desired', routed);
  }
}

function planApp(b: PlanBuilder, app: DesiredApp, observed: Observed, now: number, s: PlanSettings) {
  const release = app.release;
  if (!release) return planNothing(b, app.appId, observed);
  const routed = new Set(observed.backends.get(app.appId) ?? []);
  const running = observed.dynos.filter((d) => d.spec.appId === app.appId && d.state !== 'stopping');
  const sizeOf = new Map(app.processes.map((p) => [p.type, p.size]));
  // A new release, a restart request or a new dyno size each replace the dyno.
  const isStale = (d: ObservedDyno) =>
    d.spec.releaseId !== release.id || sizeOf.get(d.spec.processType) !== d.spec.size ||
    restartedSince(app.restarts, d.spec.processType, d.spec.name, d.startedAt);
  const slots = slotsOf(app.processes);
  const slotNames = new Set(slots.map((x) => x.name));
  const inSlots = running.filter((d) => slotNames.has(d.spec.name));
  const stale = inSlots.filter(isStale);
  const oldServing = stale.filter((d) => d.spec.web && d.state === 'up' && d.spec.releaseId !== release.id);

  const failure = bootFailure(app, release, observed);
  if (failure) {
    b.actions.push({ kind: 'release-status', appId: app.appId, releaseId: release.id, version: release.version, status: 'failed', reason: failure });
    // The new release cannot boot while the old one serves: keep the old one (the next plan falls back to it).
    if (oldServing.length) return;
    // Nothing older to serve (a first deploy): the release is failed, its dynos keep backing off.
  }

  for (const d of running) if (!slotNames.has(d.spec.name)) b.stop(d, 'scaled-down', routed);
  const waiting = waitingForDependencies(app.processes, inSlots.filter((d) => !isStale(d)));
  const fresh = new Map<string, ObservedDyno>();
  for (const slot of slots) {
    const current = inSlots.filter((d) => d.spec.name === slot.name && !isStale(d));
    const cur = planSlot(b, app, release, slot, current, observed, now, s, routed, waiting.has(slot.process.type));
    if (cur) fresh.set(slot.name, cur);
  }
  for (const d of stale) if (!d.spec.web) b.stop(d, 'replaced', routed);

  const serving = planRouting(b, app.appId, release.id, slots, fresh, stale.filter((d) => d.spec.web), observed);
  for (const d of stale) if (d.spec.web && !serving.has(d)) b.stop(d, 'replaced', routed);

  // A failed release runs only when it is a first deploy that could not boot (desired.ts); once up, it succeeded after all.
  if (release.status !== 'succeeded' && !failure && slots.every((x) => fresh.get(x.name)?.state === 'up')) {
    b.actions.push({ kind: 'release-status', appId: app.appId, releaseId: release.id, version: release.version, status: 'succeeded' });
  }
}

/**
 * Process types whose dynos may not start yet: one of their `depends_on`
 * types is scaled above zero and has no up dyno of the release (Compose starts
 * a service after those it depends on). Scaled to zero, a dependency holds nothing.
 */
export function waitingForDependencies(processes: readonly DesiredProcess[], current: readonly ObservedDyno[]): Set<string> {
  const up = new Set(current.filter((d) => d.state === 'up').map((d) => d.spec.processType));
  const scaled = new Set(processes.filter((p) => p.quantity > 0).map((p) => p.type));
  return new Set(processes.filter((p) => (p.dependsOn ?? []).some((dep) => scaled.has(dep) && !up.has(dep))).map((p) => p.type));
}

/** Why the release's dynos failed to boot, if one of them did. */
function bootFailure(app: DesiredApp, release: DesiredRelease, observed: Observed): string | null {
  if (release.status !== 'pending') return null;
  const c = observed.crashes.find(
    (x) => x.dyno.spec.appId === app.appId && x.dyno.spec.releaseId === release.id && x.beforeUp &&
      !restartedSince(app.restarts, x.dyno.spec.processType, x.dyno.spec.name, x.exitedAt),
  );
  return c ? bootFailureReason(c.dyno.spec.name, c.reason) : null;
}

/** Keeps one current dyno in the slot, starting it (after any crash back-off) or timing out its boot. Returns it. */
function planSlot(
  b: PlanBuilder, app: DesiredApp, release: DesiredRelease, slot: Slot, current: ObservedDyno[], observed: Observed,
  now: number, s: PlanSettings, routed: ReadonlySet<string>, waiting: boolean,
): ObservedDyno | undefined {
  const [cur, ...extra] = [...current].sort((x, y) => y.startedAt - x.startedAt);
  for (const d of extra) b.stop(d, 'duplicate', routed);
  if (cur) {
    if (cur.state !== 'starting' || !cur.spec.web) return cur;
    const deadline = cur.startedAt + s.bootTimeoutMs;
    if (now < deadline) {
      b.wake(deadline);
      return cur;
    }
    b.stop(cur, 'boot-timeout', routed);
    return undefined;
  }
  const crash = observed.crashes.find(
    (c) => c.dyno.spec.appId === app.appId && c.dyno.spec.name === slot.name && c.dyno.spec.releaseId === release.id &&
      !restartedSince(app.restarts, slot.process.type, slot.name, c.exitedAt),
  );
  const at = crash ? crash.exitedAt + crashDelay(crash.count, s) : now;
  // A dependency coming up is a dyno event, which plans again: no wake needed while waiting.
  if (waiting) return undefined;
  if (now >= at) b.actions.push({ kind: 'start', app, release, process: slot.process, name: slot.name });
  else b.wake(at);
  return undefined;
}

/**
 * Picks the web dynos the router should use. A new release takes over only
 * once all its web dynos are up (the old release serves until then); a
 * restart replaces dynos one slot at a time. Returns the dynos kept serving.
 */
function planRouting(
  b: PlanBuilder, appId: string, releaseId: string, slots: readonly Slot[], fresh: ReadonlyMap<string, ObservedDyno>,
  staleWeb: readonly ObservedDyno[], observed: Observed,
): Set<ObservedDyno> {
  const webSlots = slots.filter((x) => x.process.type === 'web');
  const freshUp = webSlots.map((x) => fresh.get(x.name)).filter((d): d is ObservedDyno => d?.state === 'up');
  const staleUp = staleWeb.filter((d) => d.state === 'up');
  let serving: ObservedDyno[];
  if (freshUp.length === webSlots.length || staleUp.length === 0) serving = freshUp;
  else if (staleUp.some((d) => d.spec.releaseId !== releaseId)) serving = staleUp;
  else {
    serving = webSlots.flatMap((x) => {
      const f = fresh.get(x.name);
      if (f?.state === 'up') return [f];
      return staleUp.filter((d) => d.spec.name === x.name);
    });
  }
  routeIfChanged(b, appId, serving, observed);
  return new Set(serving);
}
