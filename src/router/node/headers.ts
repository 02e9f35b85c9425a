/**
 * Header rewriting for the Node data plane, on flat raw header arrays
 * (`[name, value, name, value, …]`) so repeated headers and their order survive.
 */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer',
  'transfer-encoding', 'upgrade',
]);

/** Headers set by the router; a client's own values are replaced, not trusted. */
const ROUTER_SET = new Set(['x-request-id', 'x-request-start', 'x-forwarded-proto', 'x-forwarded-port']);

function connectionTokens(raw: readonly string[]): Set<string> {
  const tokens = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() !== 'connection') continue;
    for (const t of (raw[i + 1] as string).split(',')) tokens.add(t.trim().toLowerCase());
  }
  return tokens;
}

function withoutHopByHop(raw: readonly string[], alsoDrop: ReadonlySet<string> = new Set()): string[] {
  const listed = connectionTokens(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (HOP_BY_HOP.has(name) || listed.has(name) || alsoDrop.has(name)) continue;
    out.push(raw[i] as string, raw[i + 1] as string);
  }
  return out;
}

const first = (raw: readonly string[], name: string): string | undefined => {
  for (let i = 0; i < raw.length; i += 2) if ((raw[i] as string).toLowerCase() === name) return raw[i + 1];
  return undefined;
};

export interface ForwardInfo {
  clientIp: string;
  /** The router's own port the client connected to. */
  port: number;
  protocol: 'http' | 'https';
  requestId: string;
  startMs: number;
  /** The client asked to switch protocols (WebSocket): keep Upgrade/Connection. */
  upgrade: string | null;
  /** The client sent a chunked body; Node decoded it, so it must be re-chunked. */
  chunked: boolean;
}

/** The headers a dyno receives, and the X-Forwarded-For value (the `fwd` of the log line). */
export function requestHeaders(raw: readonly string[], info: ForwardInfo): { headers: string[]; fwd: string } {
  const drop = new Set([...ROUTER_SET, 'x-forwarded-for', 'via', ...(info.chunked ? ['content-length'] : [])]);
  const headers = withoutHopByHop(raw, drop);
  const prior = first(raw, 'x-forwarded-for');
  const fwd = prior ? `${prior}, ${info.clientIp}` : info.clientIp;
  const via = first(raw, 'via');
  headers.push(
    'X-Forwarded-For', fwd,
    'X-Forwarded-Proto', info.protocol,
    'X-Forwarded-Port', String(info.port),
    'X-Request-Id', info.requestId,
    'X-Request-Start', String(info.startMs),
    'Via', via ? `${via}, 1.1 cupaas` : '1.1 cupaas',
  );
  if (info.upgrade) headers.push('Connection', 'Upgrade', 'Upgrade', info.upgrade);
  if (info.chunked) headers.push('Transfer-Encoding', 'chunked');
  return { headers, fwd };
}

/** The headers a client receives from a dyno's response; Node adds its own framing. */
export function responseHeaders(raw: readonly string[]): string[] {
  return withoutHopByHop(raw);
}
