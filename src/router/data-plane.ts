import type { Backend } from '../domain/index.js';
import type { TlsCertificate } from './certificates.js';
import type { RouterErrorCode } from './errors.js';

/**
 * What the control plane tells a data plane about one app. The data plane
 * decides per request: maintenance answers H80; otherwise it forwards to
 * `backends`; with none, H14 when no web dyno is wanted, else it holds the
 * request briefly for a booting dyno and answers H10.
 */
export interface AppRoute {
  appId: string;
  maintenance: boolean;
  /** The web formation asks for at least one dyno. */
  webWanted: boolean;
  /** Dynos to balance over: up, not draining, not quarantined. */
  backends: readonly Backend[];
}

/** One finished request, as the data plane saw it; the control plane turns it into a router log line. */
export interface RequestRecord {
  appId: string;
  method: string;
  path: string;
  host: string;
  requestId: string;
  /** The X-Forwarded-For value sent to the dyno. */
  fwd: string;
  protocol: 'http' | 'https';
  /** Null when no dyno was reached. */
  dyno: string | null;
  connectMs: number | null;
  serviceMs: number | null;
  status: number;
  /** Bytes of response body sent to the client. */
  bytes: number;
  error?: { code: RouterErrorCode; desc: string };
}

/** How a data plane reports back to the control plane. */
export interface DataPlaneEvents {
  onRequest(record: RequestRecord): void;
  /** A dyno refused or did not accept a connection before anything was sent. */
  onBackendFailed(appId: string, dynoId: string): void;
}

/**
 * The part of the router that moves bytes. The control plane only pushes
 * state (hosts, app routes) and reads back records and idleness, so a data
 * plane driven from outside Node (HAProxy through its Runtime API) fits the
 * same interface without touching the control plane.
 */
export interface DataPlane {
  /** Starts serving; resolves with the bound port (and the HTTPS one when `tlsPort` was asked for). */
  start(): Promise<{ port: number; tlsPort?: number }>;
  /** Replaces the host table: lowercase hostname without port → app id. */
  setHosts(hosts: ReadonlyMap<string, string>): void;
  /**
   * Replaces the certificates served on the HTTPS port: chosen by SNI among
   * their `names` (exact hostnames), else the first (the platform's). Pushed
   * before `start` when HTTPS is on.
   */
  setCertificates(certs: readonly TlsCertificate[]): void;
  setApp(route: AppRoute): void;
  removeApp(appId: string): void;
  /** Resolves once no request is in flight to the dyno. */
  whenIdle(dynoId: string): Promise<void>;
  close(): Promise<void>;
}

export interface DataPlaneOptions {
  listen: string;
  port: number;
  /** The HTTPS port (0: any free one); null: no HTTPS. */
  tlsPort: number | null;
  /** No response byte within this long after the request was sent: H12 (Heroku: 30 s). */
  firstByteTimeoutMs: number;
  /** Connecting to a dyno takes longer than this: try another (Heroku: 5 s). */
  connectTimeoutMs: number;
  /** How long a request waits for a booting web dyno before H10. */
  bootHoldMs: number;
}

export type DataPlaneFactory = (options: DataPlaneOptions, events: DataPlaneEvents) => DataPlane;
