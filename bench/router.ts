/**
 * `npm run bench`: throughput and latency of app traffic, not a test.
 * Each measurement is a named entry in MEASUREMENTS; add more (scale time,
 * platform RSS) by appending to the list. Prints the results as JSON, then a table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeDataPlane } from '../src/router/index.js';
import { runChecked } from '../src/shared/process.js';
import { waitFor } from '../src/shared/wait.js';
import { closedPort, startRouterFixture } from '../test/support/router-fixtures.js';

export interface Result {
  measurement: string;
  target: string;
  connections?: number;
  requestsPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  value?: number;
  unit?: string;
}

export interface Measurement {
  name: string;
  run(): Promise<Result[]>;
}

/** Seconds per wrk run: long enough to settle, short enough for a 2-core machine shared with others. */
const DURATION_S = 3;
const CONNECTIONS = [50, 200];
const NGINX = '/usr/sbin/nginx';

/** The dyno stand-in: a minimal Node server in its own process, so it does not share the router's event loop. */
const DYNO_SOURCE = `
const http = require('node:http');
const s = http.createServer((req, res) => res.end('hello from the dyno\\n'));
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`;

async function startDyno(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', DYNO_SOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  const port = await waitFor(() => Number(out.trim()) || undefined, { what: 'dyno to listen' });
  return { port, child };
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };

/** Requests/s and latency percentiles from `wrk --latency` output. */
function parseWrk(text: string): Pick<Result, 'requestsPerSec' | 'p50Ms' | 'p99Ms'> {
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(text);
    return m ? Number((Number(m[1]) * (UNITS[m[2] as string] as number)).toFixed(3)) : undefined;
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  return { requestsPerSec: rps ? Math.round(Number(rps[1])) : undefined, p50Ms: pct('50'), p99Ms: pct('99') };
}

async function wrk(url: string, connections: number, host?: string) {
  const argv = ['wrk', '-t2', `-c${connections}`, `-d${DURATION_S}s`, '--latency', ...(host ? ['-H', `Host: ${host}`] : []), url];
  return parseWrk((await runChecked(argv, { timeout: (DURATION_S + 30) * 1000 })).stdout);
}

async function startNginx(dynoPort: number): Promise<{ port: number; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-bench-nginx-'));
  const port = await closedPort();
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream dyno { server 127.0.0.1:${dynoPort}; keepalive 256; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://dyno;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`,
  );
  const child = spawn(NGINX, ['-p', dir, '-e', `${dir}/error.log`, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
  const up = async () => (await fetch(`http://127.0.0.1:${port}/`)).ok;
  await waitFor(() => up().catch(() => false), { what: 'nginx to listen' });
  return {
    port,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The same load straight to the dyno, through the router, and through nginx when installed. */
const proxyThroughput: Measurement = {
  name: 'proxy-throughput',
  async run() {
    const dyno = await startDyno();
    const fx = await startRouterFixture(createNodeDataPlane);
    const nginx = existsSync(NGINX) ? await startNginx(dyno.port) : null;
    try {
      const app = fx.addApp('bench');
      fx.router.setBackends(app.id, [{ dynoId: 'bench-web-1', dynoName: 'web.1', host: '127.0.0.1', port: dyno.port }]);
      const targets: Array<[string, string, string | undefined]> = [
        ['direct', `http://127.0.0.1:${dyno.port}/`, undefined],
        ['router', `http://127.0.0.1:${fx.port}/`, 'bench.localhost'],
        ...(nginx ? [['nginx', `http://127.0.0.1:${nginx.port}/`, undefined] as [string, string, undefined]] : []),
      ];
      const results: Result[] = [];
      for (const connections of CONNECTIONS) {
        for (const [target, url, host] of targets) {
          results.push({ measurement: 'proxy-throughput', target, connections, ...(await wrk(url, connections, host)) });
        }
      }
      return results;
    } finally {
      await nginx?.stop();
      await fx.cleanup();
      dyno.child.kill('SIGTERM');
    }
  },
};

/** Every measurement, in the order they run. */
export const MEASUREMENTS: Measurement[] = [proxyThroughput];

function printTable(results: readonly Result[]): void {
  const rows = results.map((r) => [
    r.measurement, r.target, String(r.connections ?? ''), String(r.requestsPerSec ?? r.value ?? ''),
    String(r.p50Ms ?? r.unit ?? ''), String(r.p99Ms ?? ''),
  ]);
  const head = ['measurement', 'target', 'conns', 'req/s|value', 'p50 ms|unit', 'p99 ms'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i] as number)).join('  '));
}

async function main(): Promise<void> {
  const results: Result[] = [];
  for (const m of MEASUREMENTS) {
    console.error(`running ${m.name}...`);
    results.push(...(await m.run()));
  }
  console.log(JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
  console.log();
  printTable(results);
}

await main();
