import type { RequestRecord } from './data-plane.js';

const ms = (v: number | null): string => (v === null ? '' : `${v}ms`);

/** `path="…"` must stay one token: a raw quote would end it early. */
const quoted = (v: string): string => (v.includes('"') ? v.replace(/"/g, '%22') : v);

/**
 * A request as Heroku's router logs it:
 * `at=info method=GET path="/" host=… request_id=… fwd="…" dyno=web.1 connect=1ms service=5ms status=200 bytes=123 protocol=http`.
 * Errors lead with `at=error code=H12 desc="…"`; H80 is logged at info.
 */
export function routerLogLine(r: RequestRecord): string {
  const head = r.error
    ? `at=${r.error.code === 'H80' ? 'info' : 'error'} code=${r.error.code} desc="${quoted(r.error.desc)}"`
    : 'at=info';
  // One template: the log bus copies the line into its byte history at once, which flattens it.
  return `${head} method=${r.method} path="${quoted(r.path)}" host=${r.host} request_id=${r.requestId} fwd="${quoted(r.fwd)}" ` +
    `dyno=${r.dyno ?? ''} connect=${ms(r.connectMs)} service=${ms(r.serviceMs)} status=${r.status} bytes=${r.bytes} protocol=${r.protocol}`;
}
