import { badRequestPage, noSuchAppPage, routerErrorPage, type ErrorPage, type RouterErrorCode } from '../errors.js';

/** Everything the generated haproxy.cfg depends on; fixed for the life of the process. */
export interface HaproxyLayout {
  listen: string;
  port: number;
  /** The Runtime API socket (absolute). */
  socketPath: string;
  /** The loopback TCP port the data plane reads request log lines from. */
  logPort: number;
  appSlots: number;
  dynoSlots: number;
  threads: number;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  /** The HTTPS port, served from the crt-list (absolute path); null: no HTTPS. */
  tlsPort: number | null;
  crtList: string;
}

/** Files are referenced relative to the router directory (haproxy runs with it as cwd). */
export const FILES = {
  config: 'haproxy.cfg',
  lua: 'haproxy.lua',
  hosts: 'hosts.map',
  apps: 'apps.map',
  types: 'types.map',
  pages: 'pages',
  /** The platform certificate (chain and key, 0600): the crt-list's first entry, served without a matching SNI name. */
  platformCert: 'platform.pem',
  crtList: 'certs.list',
  /** The running HAProxy's pid, for the next server to adopt it. */
  pid: 'haproxy.pid',
  /** HAProxy's stderr (it outlives the server, so not a pipe). */
  stderr: 'haproxy.err',
  /** Ports and the slot table as last pushed, for the next server to adopt the running HAProxy. */
  state: 'state.json',
} as const;

/** The first field of every request log line, so state-change notices on the same socket are told apart. */
export const LOG_TAG = 'cupaas-request';

/** Per-request fields, tab-separated (HAProxy escapes control characters inside values, so a tab never occurs in one). */
const LOG_FIELDS = [
  LOG_TAG, '%[var(txn.slot)]', '%[var(txn.host)]', '%HM', '%HU', '%[var(txn.rid)]', '%[var(txn.fwd)]', '%s',
  '%Tc', '%Ta', '%TR', '%Tw', '%ST', '%B', '%ts', '%[var(txn.code)]', '%[var(txn.clen)]', '%[var(txn.hsize)]', '%rc', '%[ssl_fc]',
];

/**
 * HAProxy's default is a thread per CPU. The router shares its host with the
 * dynos, and HAProxy's threads spin (not sleep) on the locks they share: a
 * thread preempted while holding one leaves the others burning CPU. Measured
 * on two busy cores: a sixth of HAProxy's samples were one such spin loop with
 * two threads, and CPU per request fell by a fifth with one (docs/performance.md,
 * round 3). So half the CPUs, at least one.
 */
export const defaultThreads = (cpus: number): number => Math.max(1, Math.floor(cpus / 2));

export const slotName = (i: number): string => `app_${i}`;
export const serverName = (i: number): string => `dyno${i + 1}`;

/** Values of apps.map: what the frontend does with a request for the app in that slot. */
export type SlotState = 'up' | 'H10' | 'H14' | 'H80';

/** Pages HAProxy serves from files, as `return` rules (the request is answered before any backend). */
const RETURN_PAGES: Record<string, (accept: string) => ErrorPage> = {
  'no-such-app': (a) => noSuchAppPage(a),
  'bad-hosts': (a) => badRequestPage(a, 'The request has more than one Host header.'),
  'bad-line': (a) => badRequestPage(a, 'The request line or a header is longer than 8192 bytes.'),
  H10: (a) => routerErrorPage('H10', a),
  H14: (a) => routerErrorPage('H14', a),
  H80: (a) => routerErrorPage('H80', a),
};

/** Errors HAProxy raises itself after choosing a dyno, by the status it raises them with. */
const RAISED: ReadonlyArray<[number, RouterErrorCode]> = [[502, 'H13'], [503, 'H21'], [504, 'H12']];

const FORMATS = { html: 'text/html', json: 'application/json' } as const;
type Format = keyof typeof FORMATS;
const pageFor = (render: (accept: string) => ErrorPage, f: Format) => render(f === 'html' ? 'text/html' : 'application/json');

/** The files to write next to haproxy.cfg: path relative to the router dir → content. */
export function routerFiles(layout: HaproxyLayout): Map<string, string> {
  const files = new Map<string, string>();
  files.set(FILES.config, renderConfig(layout));
  files.set(FILES.lua, LUA);
  files.set(FILES.hosts, '');
  files.set(FILES.apps, Array.from({ length: layout.appSlots }, (_, i) => `${slotName(i)} H14\n`).join(''));
  const types = (Object.keys(FORMATS) as Format[]).map((f) => `${f} ${pageFor((a) => routerErrorPage('H12', a), f).contentType}\n`);
  files.set(FILES.types, types.join(''));
  for (const [name, render] of Object.entries(RETURN_PAGES)) {
    for (const f of Object.keys(FORMATS) as Format[]) files.set(`${FILES.pages}/${name}.${f}`, pageFor(render, f).body);
  }
  for (const [, code] of RAISED) {
    // A map value is one line: the page's inner newlines go, the final one is added back by the rule.
    const lines = (Object.keys(FORMATS) as Format[]).map((f) => `${f} ${pageFor((a) => routerErrorPage(code, a), f).body.replace(/\n/g, '')}\n`);
    files.set(`${FILES.pages}/${code}.map`, lines.join(''));
  }
  return files;
}

/**
 * Two `return` rules answering with a page when `txn.page` names it: HTML
 * when the request accepts it (`txn.fmt`), JSON otherwise.
 */
function returnRules(status: number, page: string): string[] {
  const rule = (f: Format, cond: string) =>
    `  http-request return status ${status} content-type "${pageFor(RETURN_PAGES[page] as (a: string) => ErrorPage, f).contentType}" ` +
    `file ${FILES.pages}/${page}.${f} hdr Cache-Control "no-cache, no-store" if { var(txn.page) -m str ${page} }${cond}`;
  return [rule('html', ' { var(txn.fmt) -m found }'), rule('json', '')];
}

const address = (l: HaproxyLayout, port: number) => `${l.listen.includes(':') ? `[${l.listen}]` : l.listen}:${port}`;

/** The backend that answers a request the frontend refused (`txn.page`), so the page rules stay off the path of every other request. */
const ANSWER = 'answer';

/*
 * Every rule here runs for every request, and rules that look a header up
 * scan the whole header list: a header is read once into a variable where
 * later rules need it again, and a rule that only adds a header the request
 * lacks uses `add-header` (no scan for copies to delete).
 */
const frontend = (l: HaproxyLayout): string[] => [
  'frontend router',
  `  bind ${address(l, l.port)}`,
  // Certificates by SNI from the crt-list: the platform's first (the default), apps' added at runtime with their hostnames as filters.
  ...(l.tlsPort === null ? [] : [`  bind ${address(l, l.tlsPort)} ssl crt-list ${l.crtList} alpn http/1.1`]),
  '  unique-id-format %[uuid()]',
  `  log-format "${LOG_FIELDS.join('\\t')}"`,
  // Pages are HTML for browsers; without `txn.fmt`, JSON.
  '  http-request set-var(txn.fmt) str(html) if { req.fhdr(accept) -m sub -i text/html }',
  // Heroku's limits: 8 KB per request or header line, one Host. A refused request gets no app: it is not logged to one.
  '  http-request lua.cupaas_check_lines if { req.hdrs,length gt 8192 }',
  '  http-request set-var(txn.page) str(bad-line) if { var(txn.bad_line) -m bool } || { url,length gt 8192 }',
  '  http-request set-var(txn.page) str(bad-hosts) if { req.hdr_cnt(host) gt 1 }',
  '  http-request set-var(txn.host) req.fhdr(host),lower,field(1,:) unless { var(txn.page) -m found }',
  `  http-request set-var(txn.slot) var(txn.host),map_str(${FILES.hosts})`,
  '  http-request set-var(txn.page) str(no-such-app) unless { var(txn.slot) -m found } || { var(txn.page) -m found }',
  // Request headers, as the Node data plane sets them.
  '  http-request lua.cupaas_strip_hop_req if { req.hdr(connection) -m found }',
  '  http-request del-header ^(proxy-authorization|proxy-connection|keep-alive)$ -m reg',
  '  http-request set-var(txn.rid) req.fhdr(x-request-id)',
  '  http-request set-var(txn.rid) unique-id unless { var(txn.rid) -m reg ^[A-Za-z0-9+/=-]{20,200}$ }',
  '  http-request set-header X-Request-Id %[var(txn.rid)]',
  // X-Forwarded-For gets the client appended (`txn.fwd` is what the log shows), or is the client alone.
  '  http-request set-var(txn.xff) req.fhdr(x-forwarded-for,1)',
  '  http-request set-var-fmt(txn.fwd) "%[var(txn.xff)], %[src]" if { var(txn.xff) -m found }',
  '  http-request set-header X-Forwarded-For %[var(txn.fwd)] if { var(txn.xff) -m found }',
  '  http-request set-var(txn.fwd) src unless { var(txn.xff) -m found }',
  '  http-request add-header X-Forwarded-For %[var(txn.fwd)] unless { var(txn.xff) -m found }',
  '  http-request set-header X-Forwarded-Proto %[ssl_fc,iif(https,http)]',
  '  http-request set-header X-Forwarded-Port %[dst_port]',
  '  http-request set-header X-Request-Start %[date(0,ms)]',
  '  http-request set-var(txn.via) req.fhdr(via,1)',
  '  http-request set-header Via "%[var(txn.via)], 1.1 cupaas" if { var(txn.via) -m found }',
  '  http-request add-header Via "1.1 cupaas" unless { var(txn.via) -m found }',
  // The app's state (apps.map, pushed at runtime): H80, H14 or H10 are answered by the `answer` backend and logged with the code.
  `  http-request set-var(txn.code) var(txn.slot),map_str(${FILES.apps},H14) unless { var(txn.slot),map_str(${FILES.apps},H14) -m str up }`,
  '  http-request set-var(txn.page) var(txn.code) if { var(txn.code) -m found }',
  // A request with a body is never sent twice.
  '  http-request disable-l7-retry if { req.hdr(transfer-encoding) -m found } || { req.hdr(content-length) -m int gt 0 }',
  `  use_backend ${ANSWER} if { var(txn.page) -m found }`,
  '  use_backend %[var(txn.slot)]',
  // Response headers: hop-by-hop ones stop here; the rest is the dyno's.
  '  http-response set-var(txn.dyno) bool(true)',
  '  http-response set-var(txn.clen) res.hdr_val(content-length)',
  '  http-response lua.cupaas_strip_hop_res if { res.hdr(connection) -m found }',
  '  http-response del-header ^(keep-alive|proxy-connection)$ -m reg',
  '  http-after-response set-var(txn.hsize) res.hdrs,length',
  // Errors HAProxy raised itself (not a dyno's own 5xx): the page's type by Accept, and Heroku's 503.
  '  acl raised status 502 503 504',
  '  acl from_dyno var(txn.dyno) -m bool',
  '  acl answered var(txn.code) -m found',
  `  http-after-response set-header Content-Type "%[var(txn.fmt,json),map_str(${FILES.types})]" if raised !from_dyno !answered`,
  '  http-after-response set-header Cache-Control "no-cache, no-store" if raised !from_dyno !answered',
  '  http-after-response set-status 503 if raised !from_dyno !answered',
];

/** The pages the frontend refers refused requests to: bad requests, unknown hosts, and apps in maintenance (H80), without web dynos (H14) or without a free slot (H10). */
const answerBackend = (): string[] => [
  `backend ${ANSWER}`,
  ...returnRules(400, 'bad-hosts'),
  ...returnRules(400, 'bad-line'),
  ...returnRules(404, 'no-such-app'),
  ...(['H80', 'H14', 'H10'] as const).flatMap((c) => returnRules(503, c)),
];

const LOG_RING = 'requests';
const LOG_LINE_MAX = 16384;

/**
 * Request log lines go into an in-memory ring that HAProxy forwards over one
 * TCP connection to the plane, newline-separated (`log-proto legacy`): under
 * load many lines share one write, where UDP cost a datagram per request on
 * both sides. Writing to the ring never blocks; if the plane falls 4 MB
 * behind, new lines are dropped (as datagrams were under overload).
 */
const logRing = (l: HaproxyLayout): string[] => [
  `ring ${LOG_RING}`,
  '  format raw',
  `  maxlen ${LOG_LINE_MAX}`,
  `  size ${4 << 20}`,
  '  timeout connect 1s',
  // The connection idles between requests; HAProxy reconnects by itself, but need not.
  '  timeout server 1d',
  `  server plane 127.0.0.1:${l.logPort} log-proto legacy`,
];

function backends(l: HaproxyLayout): string[] {
  const out: string[] = [];
  for (let i = 0; i < l.appSlots; i++) {
    out.push(`backend ${slotName(i)}`, `  server-template dyno 1-${l.dynoSlots} 127.0.0.1:1 disabled`);
  }
  return out;
}

/** The whole haproxy.cfg: written once per start; apps, hosts and dynos change only through the Runtime API. */
export function renderConfig(l: HaproxyLayout): string {
  const lines = [
    'global',
    `  stats socket ${l.socketPath} mode 600 level admin expose-fd listeners`,
    // The data plane keeps one Runtime API connection open; a long idle timeout spares reconnects.
    '  stats timeout 1d',
    `  log ring@${LOG_RING} len ${LOG_LINE_MAX} format raw local0`,
    `  lua-load ${FILES.lua}`,
    '  tune.http.maxhdr 1000',
    `  nbthread ${l.threads}`,
    '',
    'defaults',
    '  mode http',
    '  log global',
    '  option http-keep-alive',
    '  http-reuse safe',
    '  balance leastconn',
    // A refused connection, or a dyno closing a bodiless request unanswered, is retried on another dyno.
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure empty-response',
    `  timeout connect ${l.connectTimeoutMs}ms`,
    `  timeout server ${l.firstByteTimeoutMs}ms`,
    '  timeout client 60s',
    '  timeout http-request 30s',
    '  timeout http-keep-alive 60s',
    '  timeout tunnel 1h',
    '  timeout client-fin 1s',
    '  timeout server-fin 1s',
    ...RAISED.map(([status, code]) =>
      `  http-error status ${status} content-type text/plain lf-string "%[var(txn.fmt,json),map_str(${FILES.pages}/${code}.map)]\\n"`),
    '',
    ...logRing(l),
    '',
    ...frontend(l),
    '',
    ...answerBackend(),
    '',
    ...backends(l),
    '',
  ];
  return lines.join('\n');
}

/**
 * Lua actions for what HAProxy's rules cannot express: dropping the headers
 * a Connection header names, and Heroku's per-line header limit.
 */
const LUA = `
local keep = { ["close"] = true, ["keep-alive"] = true, ["upgrade"] = true }

local function strip(headers, del)
  for _, value in pairs(headers["connection"] or {}) do
    for token in string.gmatch(value, "[^,%s]+") do
      local name = string.lower(token)
      if not keep[name] then del(name) end
    end
  end
end

core.register_action("cupaas_strip_hop_req", { "http-req" }, function(txn)
  strip(txn.http:req_get_headers(), function(name) txn.http:req_del_header(name) end)
end)

core.register_action("cupaas_strip_hop_res", { "http-res" }, function(txn)
  strip(txn.http:res_get_headers(), function(name) txn.http:res_del_header(name) end)
end)

core.register_action("cupaas_check_lines", { "http-req" }, function(txn)
  for name, values in pairs(txn.http:req_get_headers()) do
    for _, value in pairs(values) do
      if #name + #value + 2 > 8192 then
        txn:set_var("txn.bad_line", true)
        return
      end
    end
  end
end)
`;
