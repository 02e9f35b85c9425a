import type { Backend } from '../../domain/index.js';
import type { DataPlaneEvents } from '../data-plane.js';
import type { RouterErrorCode } from '../errors.js';
import type { Balancer } from './balancer.js';
import type { ConnectFailure } from './connect.js';

/** Why a dyno did not take a request: the two connect failures, or `dropped` (accepted, then closed before answering). */
export type DynoFailure = ConnectFailure | 'dropped';

/** Heroku retries a refused connection on up to 10 dynos. */
const MAX_ATTEMPTS = 10;
const NONE: ReadonlySet<string> = new Set();
/** The error once the last dyno tried failed this way. */
const FINAL_CODES: Record<DynoFailure, RouterErrorCode> = { timeout: 'H19', refused: 'H21', dropped: 'H13' };

/**
 * The dynos one request tried. Picks the next one, blames a
 * dyno that refused or dropped it (the control plane quarantines it), and says which
 * error to answer once none is left.
 */
export class Attempts {
  private tried: Set<string> | undefined;
  private count = 0;
  private last: DynoFailure | undefined;

  constructor(
    private readonly deps: { balancer: Balancer; events: Pick<DataPlaneEvents, 'onBackendFailed'> },
    private readonly appId: string,
  ) {}

  /** The next dyno to try, counted as busy; undefined when none is left. */
  next(): Backend | undefined {
    if (this.count++ >= MAX_ATTEMPTS) return undefined;
    const backend = this.deps.balancer.pick(this.appId, this.tried ?? NONE);
    if (backend) this.deps.balancer.acquire(backend.dynoId);
    return backend;
  }

  /** The dyno did not take the request: it is no longer busy with it, and is skipped from now on. */
  failed(backend: Backend, reason: DynoFailure): void {
    this.deps.balancer.release(backend.dynoId);
    (this.tried ??= new Set()).add(backend.dynoId);
    this.last = reason;
    this.deps.events.onBackendFailed(this.appId, backend.dynoId);
  }

  /** The error once no dyno took the request. */
  code(): RouterErrorCode {
    return this.last ? FINAL_CODES[this.last] : 'H10';
  }
}
