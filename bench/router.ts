/**
 * `npm run bench`: throughput and latency of app traffic, and the platform's
 * runtime costs (platform-runtime.ts); not a test. Each measurement is a
 * named entry in MEASUREMENTS; `npm run bench -- NAME…` runs only those.
 * Prints the results as JSON, then a table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHaproxyDataPlane, createNodeDataPlane, haproxyMissing, type HaproxyDataPlane } from '../src/router/index.js';
import type { Backend } from '../src/domain/index.js';
import { silentLogger } from '../src/shared/logger.js';
import { runChecked } from '../src/shared/process.js';
import { waitFor } from '../src/shared/wait.js';
import { closedPort, startRouterFixture } from '../test/support/router-fixtures.js';
import { platformRuntime } from './platform-runtime.js';
import { printTable, type Measurement, type Result } from './support/measurement.js';

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

/** Requests/s, latency percentiles and the request count from `wrk --latency` output. */
function parseWrk(text: string): Pick<Result, 'requestsPerSec' | 'p50Ms' | 'p99Ms'> & { requests: number } {
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(text);
    return m ? Number((Number(m[1]) * (UNITS[m[2] as string] as number)).toFixed(3)) : undefined;
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const requests = Number(/(\d+) requests in/.exec(text)?.[1] ?? 0);
  return { requestsPerSec: rps ? Math.round(Number(rps[1])) : undefined, p50Ms: pct('50'), p99Ms: pct('99'), requests };
}

/** CPU time (µs, user + system) a process has used, from /proc/<pid>/stat (in 10 ms clock ticks). */
function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** The HAProxy processes this process started (the HAProxy data plane's). */
const haproxyPids = (): number[] =>
  readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.includes('(haproxy)') && stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(process.pid);
    } catch {
      return false;
    }
  });

/**
 * One wrk run. The router runs in this process (plus, for the HAProxy plane,
 * the `helpers` processes), so their CPU time over the run is the router's
 * (wrk and the dyno are other processes): per request, a figure that a busy
 * shared host disturbs less than req/s.
 */
async function wrk(url: string, connections: number, host?: string, helpers: readonly number[] = []): Promise<Omit<Result, 'measurement' | 'target'>> {
  const argv = ['wrk', '-t2', `-c${connections}`, `-d${DURATION_S}s`, '--latency', ...(host ? ['-H', `Host: ${host}`] : []), url];
  const helperCpu = () => helpers.reduce((us, pid) => us + processCpuUs(pid), 0);
  const [cpu, helpersBefore] = [process.cpuUsage(), helperCpu()];
  const { requests, ...r } = parseWrk((await runChecked(argv, { timeout: (DURATION_S + 30) * 1000 })).stdout);
  const own = process.cpuUsage(cpu);
  const used = own.user + own.system + helperCpu() - helpersBefore;
  return { connections, ...r, ...(host && requests ? { routerCpuUsPerReq: Math.round(used / requests) } : {}) };
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

/** The router with the HAProxy data plane serving `backend` as app `bench`, when haproxy is installed. */
async function startHaproxyRouter(backend: Backend) {
  if (haproxyMissing()) return null;
  let plane: HaproxyDataPlane | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-bench-haproxy-'));
  const fx = await startRouterFixture((o, e) => (plane = createHaproxyDataPlane({ dir, logger: silentLogger })(o, e)));
  fx.router.setBackends(fx.addApp('bench').id, [backend]);
  await plane?.settled();
  return fx;
}

/** The same load straight to the dyno, through the router, and through nginx when installed. */
const proxyThroughput: Measurement = {
  name: 'proxy-throughput',
  async run() {
    const dyno = await startDyno();
    const fx = await startRouterFixture(createNodeDataPlane);
    const nginx = existsSync(NGINX) ? await startNginx(dyno.port) : null;
    const haproxy = await startHaproxyRouter({ dynoId: 'bench-web-1', dynoName: 'web.1', host: '127.0.0.1', port: dyno.port });
    try {
      const app = fx.addApp('bench');
      fx.router.setBackends(app.id, [{ dynoId: 'bench-web-1', dynoName: 'web.1', host: '127.0.0.1', port: dyno.port }]);
      const targets: Array<[string, string, string | undefined, number[]?]> = [
        ['direct', `http://127.0.0.1:${dyno.port}/`, undefined],
        ['router', `http://127.0.0.1:${fx.port}/`, 'bench.localhost'],
        ...(nginx ? [['nginx', `http://127.0.0.1:${nginx.port}/`, undefined] as [string, string, undefined]] : []),
        // The HAProxy plane's router CPU is HAProxy's plus this process's (which reads its log lines).
        ...(haproxy ? [['router-haproxy', `http://127.0.0.1:${haproxy.port}/`, 'bench.localhost', haproxyPids()] as [string, string, string, number[]]] : []),
      ];
      const results: Result[] = [];
      for (const connections of CONNECTIONS) {
        for (const [target, url, host, helpers] of targets) {
          results.push({ measurement: 'proxy-throughput', target, ...(await wrk(url, connections, host, helpers)) });
        }
      }
      return results;
    } finally {
      await nginx?.stop();
      await haproxy?.cleanup();
      await fx.cleanup();
      dyno.child.kill('SIGTERM');
    }
  },
};

/** Every measurement, in the order they run. */
export const MEASUREMENTS: Measurement[] = [proxyThroughput, platformRuntime];

async function main(only: readonly string[]): Promise<void> {
  const unknown = only.filter((n) => !MEASUREMENTS.some((m) => m.name === n));
  if (unknown.length) throw new Error(`unknown measurement ${unknown.join(', ')}; known: ${MEASUREMENTS.map((m) => m.name).join(', ')}`);
  const results: Result[] = [];
  for (const m of MEASUREMENTS.filter((m) => !only.length || only.includes(m.name))) {
    console.error(`running ${m.name}...`);
    results.push(...(await m.run()));
  }
  console.log(JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
  console.log();
  printTable(results);
}

await main(process.argv.slice(2));
