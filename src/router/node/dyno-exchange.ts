import type { Backend } from '../../domain/index.js';
import type { DataPlaneEvents, RequestRecord } from '../data-plane.js';
import { ROUTER_ERRORS, type RouterErrorCode } from '../errors.js';
import { Attempts } from './attempts.js';
import type { Balancer } from './balancer.js';
import type { ConnectCallbacks, ConnectFailure, Connector } from './connect.js';
import type { Deadlines } from './deadlines.js';
import type { DynoConnection, ResponseSink } from './dyno-connection.js';
import type { BodyMode, ResponseHead } from './response-parser.js';

/** Waits for a dyno's first response byte; expires into H12. */
export interface FirstByteWaiter {
  onFirstByteTimeout(): void;
}

/** What every exchange of one data plane shares. */
export interface ExchangeContext {
  balancer: Balancer;
  connector: Connector;
  firstByte: Deadlines<FirstByteWaiter>;
  events: DataPlaneEvents;
}

/** Marks a request's record as failed with a router error. */
export function recordError(r: RequestRecord, code: RouterErrorCode): void {
  r.error = { code, desc: ROUTER_ERRORS[code].desc };
}

/**
 * What HTTP and upgrade exchanges share: trying dynos in turn until one
 * accepts the connection, and reporting the request's record exactly once.
 * An object with methods rather than a chain of promises and closures: this
 * runs for every request, so it should allocate little and never wait on a
 * microtask it does not need. It is its connection's response sink too.
 */
export abstract class DynoExchange implements ConnectCallbacks, FirstByteWaiter, ResponseSink {
  protected readonly attempts: Attempts;
  protected backend: Backend | undefined;
  /** The connection this request is on, once connected. */
  protected conn: DynoConnection | undefined;
  protected connectMs: number | null = null;
  protected settled = false;

  constructor(
    protected readonly ctx: ExchangeContext,
    /** Created when the request arrived and completed here: one record object per request. */
    protected readonly record: RequestRecord,
    /** A connection of its own, never pooled (upgrades). */
    private readonly ownConnection: boolean,
  ) {
    this.attempts = new Attempts(ctx, record.appId);
  }

  /** Called once the app can take the request. */
  abstract start(): void;
  abstract onConnected(conn: DynoConnection, connectMs: number): void;
  abstract onHead(head: ResponseHead): BodyMode;
  abstract onBody(chunk: Buffer): void;
  abstract onComplete(): void;
  abstract onLost(): void;
  /** Answers the client with a router error (where it still can) and reports it. */
  protected abstract failWith(code: RouterErrorCode): void;

  onFirstByteTimeout(): void {
    this.failWith('H12');
  }

  onFailed(reason: ConnectFailure): void {
    if (this.settled) return;
    this.attempts.failed(this.backend as Backend, reason);
    this.tryNext();
  }

  protected tryNext(): void {
    const backend = this.attempts.next();
    if (!backend) return this.failWith(this.attempts.code());
    this.backend = backend;
    this.ctx.connector.connect(backend, this, this.ownConnection);
  }

  /** Drops the connection (its sink hears nothing more); a no-op once it went back to the pool. */
  protected dropConnection(): void {
    this.conn?.destroy();
    this.conn = undefined;
  }

  /** Frees the dyno and reports the record, once. */
  protected report(status: number, serviceMs: number | null, bytes: number, error?: RouterErrorCode): void {
    if (this.settled) return;
    this.settled = true;
    this.ctx.firstByte.remove(this);
    const r = this.record;
    if (this.backend) {
      this.ctx.balancer.release(this.backend.dynoId);
      r.dyno = this.backend.dynoName;
    }
    r.connectMs = this.connectMs;
    r.serviceMs = this.connectMs === null ? null : serviceMs;
    r.status = status;
    r.bytes = bytes;
    if (error) recordError(r, error);
    this.ctx.events.onRequest(r);
  }
}
