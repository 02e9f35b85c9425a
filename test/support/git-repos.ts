/**
 * Git remotes for tests of connected repositories: a bare repository with a
 * work tree that commits to it, and `git http-backend` served over HTTP on
 * loopback (optionally behind Basic auth, and switchable to "down").
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';

export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Ada Lovelace',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Lovelace',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
};

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();

export interface TestRemote {
  bare: string;
  work: string;
  fileUrl: string;
  /** Writes files, commits and pushes to `branch` (force, so rewrites work); returns the new sha. */
  commit(message: string, files?: Record<string, string>, branch?: string): string;
}

export function createRemote(root: string, name: string): TestRemote {
  const bare = join(root, `${name}.git`);
  const work = join(root, `${name}-work`);
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(root, 'init', '--quiet', '--initial-branch=main', work);
  return {
    bare,
    work,
    fileUrl: `file://${bare}`,
    commit(message, files = {}, branch = 'main') {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), content);
      }
      git(work, 'add', '--all');
      git(work, 'commit', '--quiet', '--allow-empty', '-m', message);
      git(work, 'push', '--quiet', '--force', bare, `HEAD:refs/heads/${branch}`);
      return git(work, 'rev-parse', 'HEAD');
    },
  };
}

export interface GitHttpServer {
  /** The clone URL of a bare repository under the served root. */
  urlOf(bare: string): string;
  /** While down, every request answers 503, as an unreachable host would fail. */
  setDown(down: boolean): void;
  /** Requests seen, with whether they carried the expected credentials. */
  requests: Array<{ path: string; authorized: boolean }>;
  close(): Promise<void>;
}

/** Serves the bare repositories under `root` with git http-backend on 127.0.0.1 and a random port. */
export async function serveGitHttp(root: string, auth?: { username: string; password: string }): Promise<GitHttpServer> {
  let down = false;
  const requests: GitHttpServer['requests'] = [];
  const expected = auth && `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorized = !expected || req.headers.authorization === expected;
    requests.push({ path: url.pathname, authorized });
    if (down) return void res.writeHead(503).end('down for the test');
    if (!authorized) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
    cgi(root, req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    urlOf: (bare) => `http://127.0.0.1:${port}/${basename(bare)}`,
    setDown: (d) => (down = d),
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function cgi(root: string, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const child = spawn('git', ['http-backend'], {
    env: {
      ...GIT_ENV,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: url.pathname,
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: (req.headers['git-protocol'] as string | undefined) ?? '',
      REMOTE_ADDR: '127.0.0.1',
    },
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('utf8').split('\r\n')) {
      const i = line.indexOf(':');
      const [k, v] = [line.slice(0, i).trim(), line.slice(i + 1).trim()];
      if (k.toLowerCase() === 'status') status = Number.parseInt(v, 10);
      else res.setHeader(k, v);
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
  });
  child.on('close', () => res.end());
  child.on('error', () => res.writeHead(500).end());
}
