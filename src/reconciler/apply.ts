import type { LogSink, PlatformEvent, RoutingTable } from '../domain/index.js';
import type { EventBus } from '../shared/events.js';
import type { DynoSpec, RuntimeDriver } from '../runtime/index.js';
import type { Store } from '../store/index.js';
import { dynoSpec } from './dyno-spec.js';
import type { Action, Plan, StopReason } from './model.js';

export interface ApplyDeps {
  driver: Pick<RuntimeDriver, 'start' | 'stop'>;
  routing: RoutingTable;
  store: Pick<Store, 'releases'>;
  events: Pick<EventBus<PlatformEvent>, 'publish'>;
  logs: LogSink;
  settings: { bootTimeoutMs: number; stopTimeoutMs: number };
  /** Remembers what the router was told, for the next plan. */
  routed(appId: string, dynoIds: string[]): void;
  /** Remembers why a dyno is being stopped, before it is. */
  stopping(dynoId: string, reason: StopReason): void;
  /** Runs a stop in the background (drain, SIGTERM, maybe SIGKILL). */
  background(work: Promise<void>): void;
}

const ORDER: Record<Action['kind'], number> = { 'release-status': 0, route: 1, start: 2, stop: 3 };

function specFor(a: Extract<Action, { kind: 'start' }>): DynoSpec {
  return dynoSpec({
    appId: a.app.appId, appName: a.app.appName, release: a.release, name: a.name, processType: a.process.type,
    command: a.process.command, size: a.process.size, ...(a.process.env ? { processEnv: a.process.env } : {}),
  });
}

async function stopDyno(a: Extract<Action, { kind: 'stop' }>, deps: ApplyDeps): Promise<void> {
  const { spec } = a.dyno;
  const say = (message: string) => deps.logs.write(spec.appId, { source: 'heroku', process: spec.name, message });
  const kill = a.reason === 'boot-timeout';
  if (kill) {
    const s = Math.round(deps.settings.bootTimeoutMs / 1000);
    say(`Error R10 (Boot timeout) -> Web process failed to bind to $PORT within ${s} seconds of launch`);
    say('Stopping process with SIGKILL');
  } else {
    if (a.drain) await deps.routing.drain(spec.dynoId, deps.settings.stopTimeoutMs);
    say('Stopping all processes with SIGTERM');
  }
  const { forced } = await deps.driver.stop(spec.dynoId, { kill });
  if (forced) {
    const s = Math.round(deps.settings.stopTimeoutMs / 1000);
    say(`Error R12 (Exit timeout) -> At least one process failed to exit within ${s} seconds of SIGTERM`);
    say('Stopping remaining processes with SIGKILL');
  }
}

/** Carries out a plan: release verdicts, then routes, then starts, then stops (which drain first). */
export function apply(plan: Plan, deps: ApplyDeps): void {
  const actions = [...plan.actions].sort((x, y) => ORDER[x.kind] - ORDER[y.kind]);
  for (const a of actions) {
    switch (a.kind) {
      case 'release-status':
        deps.store.releases.setStatus(a.releaseId, a.status, a.reason ?? null);
        deps.events.publish({
          type: 'release.status', appId: a.appId, version: a.version, status: a.status, ...(a.reason ? { reason: a.reason } : {}),
        });
        break;
      case 'route':
        deps.routing.setBackends(a.appId, a.backends);
        deps.routed(a.appId, a.backends.map((x) => x.dynoId));
        break;
      case 'start': {
        const spec = specFor(a);
        deps.logs.write(spec.appId, { source: 'heroku', process: spec.name, message: `Starting process with command \`${spec.command}\`` });
        deps.driver.start(spec);
        break;
      }
      case 'stop':
        deps.stopping(a.dyno.spec.dynoId, a.reason);
        deps.background(stopDyno(a, deps));
        break;
    }
  }
}
