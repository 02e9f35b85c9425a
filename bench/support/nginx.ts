/**
 * The yardstick: nginx as a reverse proxy doing the work our data planes do
 * per request (the same request headers added, one access log line per
 * request), so a ratio to it compares like with like.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../src/shared/wait.js';
import { closedPort } from '../../test/support/router-fixtures.js';
import { childrenNamed } from './proc.js';

const NGINX = '/usr/sbin/nginx';

export interface NginxProxy {
  port: number;
  /** The master and its workers. */
  pids(): number[];
  /** Access log lines written so far (after a flush: nginx buffers them, as its docs advise under load). */
  loggedLines(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * nginx's config. Headers: X-Request-Id kept when valid, else nginx's own id;
 * X-Forwarded-For/-Proto/-Port, X-Request-Start in ms, Via; hop-by-hop
 * headers dropped (nginx drops them itself). The log line is Heroku's router
 * format, into a buffered file: nginx's recommended way to log at volume, so
 * the yardstick is nginx at its best, not handicapped.
 */
const config = (dir: string, port: number, dynoPort: number) => `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  map $http_x_request_id $rid { "~^[A-Za-z0-9+/=-]{20,200}$" $http_x_request_id; default $request_id; }
  map $msec $start_ms { "~^(?<s>[0-9]+)\\.(?<ms>[0-9]+)$" $s$ms; }
  map $http_via $via { "" "1.1 cupaas"; default "$http_via, 1.1 cupaas"; }
  log_format heroku 'at=info method=$request_method path="$request_uri" host=$host request_id=$rid '
    'fwd="$proxy_add_x_forwarded_for" dyno=web.1 connect=$upstream_connect_time service=$upstream_response_time '
    'status=$status bytes=$body_bytes_sent protocol=http';
  access_log ${dir}/access.log heroku buffer=64k flush=1s;
  upstream dyno { server 127.0.0.1:${dynoPort}; keepalive 256; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://dyno;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Request-Id $rid;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto http;
      proxy_set_header X-Forwarded-Port $server_port;
      proxy_set_header X-Request-Start $start_ms;
      proxy_set_header Via $via;
      proxy_set_header Proxy-Authorization "";
    }
  }
}
`;

export async function startNginx(dynoPort: number): Promise<NginxProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-bench-nginx-'));
  const port = await closedPort();
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'nginx.conf'), config(dir, port, dynoPort));
  const child = spawn(NGINX, ['-p', dir, '-e', `${dir}/error.log`, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const up = async () => (await fetch(`http://127.0.0.1:${port}/`)).ok;
  try {
    await waitFor(() => up().catch(() => false), { what: 'nginx to listen' });
  } catch (e) {
    child.kill('SIGTERM');
    throw e;
  }
  const lines = () => {
    try {
      return readFileSync(join(dir, 'access.log'), 'utf8').split('\n').length - 1;
    } catch {
      return 0;
    }
  };
  return {
    port,
    pids: () => (child.pid ? [child.pid, ...childrenNamed(child.pid, 'nginx')] : []),
    async loggedLines() {
      // SIGUSR1 reopens the log files, which flushes the buffer first.
      child.kill('SIGUSR1');
      let last = -1;
      // Settled when two reads a moment apart agree.
      return waitFor(() => {
        const now = lines();
        const settled = now === last;
        last = now;
        return settled && now;
      }, { what: 'nginx access log to flush', intervalMs: 200 }).catch(() => lines());
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
