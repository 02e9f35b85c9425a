import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bind } from '../../sandbox/index.js';
import type { MirrorEndpoint } from './mirrors.js';

/**
 * The relay inside a build's sandbox (`node -e`, as the build user with only
 * CAP_NET_BIND_SERVICE, before the build runs): listens on each mirror's
 * loopback address and port, pipes every connection to that mirror's Unix
 * socket (bound in from the host), then runs the build (whose setpriv clears
 * the capability) and exits with its status. argv: relays-json program...
 */
export const RELAY_SOURCE = `
const net = require('node:net');
const { spawn } = require('node:child_process');
const { constants } = require('node:os');
const [spec, ...argv] = process.argv.slice(1);
const pipe = (a, b) => { a.pipe(b); b.pipe(a); a.on('error', () => b.destroy()); b.on('error', () => a.destroy()); };
const listening = JSON.parse(spec).map(({ listen, port, socket }) => new Promise((ok, fail) => {
  const server = net.createServer((c) => pipe(c, net.connect(socket)));
  server.once('error', fail);
  server.listen(port, listen, ok);
}));
Promise.all(listening).then(() => {
  const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit' });
  child.on('error', (e) => { console.error('cannot start the build: ' + e.message); process.exit(127); });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}, (e) => { console.error('mirror relay: ' + e.message); process.exit(125); });
`;

/** A relay's listening address inside the sandbox and the Unix socket it forwards to there. */
export interface RelaySpec {
  listen: string;
  port: number;
  socket: string;
}

export interface MirrorForwarders {
  relays: RelaySpec[];
  /** The Unix sockets, bound into the sandbox. */
  binds: Bind[];
  close(): Promise<void>;
}

/** Unix socket paths are limited to 108 bytes. */
const MAX_SOCKET_PATH = 100;

/**
 * A private directory (0700, root) for the sockets: in the build's work dir,
 * which goes with the build even when the server dies, unless the path would
 * be too long for a socket.
 */
function socketDir(workDir: string): string {
  const dir = join(workDir, 'mirrors');
  if (join(dir, '00.sock').length > MAX_SOCKET_PATH) return mkdtempSync(join(tmpdir(), 'cupaas-mirrors-'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/**
 * The host side: one Unix socket per mirror, each connecting only to its
 * mirror's host and port, in a private directory shown to the sandbox socket
 * by socket. Nothing else of the host network is reachable.
 */
export async function openMirrorForwarders(endpoints: readonly MirrorEndpoint[], workDir: string): Promise<MirrorForwarders> {
  if (endpoints.length === 0) return { relays: [], binds: [], close: async () => {} };
  const dir = socketDir(workDir);
  const servers: Server[] = [];
  const open = new Set<Socket>();
  const forwarders: MirrorForwarders = {
    relays: [],
    binds: [],
    async close() {
      for (const s of open) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    for (const [i, e] of endpoints.entries()) {
      const path = join(dir, `${i}.sock`);
      const server = createServer((inside) => {
        const outside = createConnection(e.port, e.host);
        for (const s of [inside, outside]) {
          open.add(s);
          s.on('close', () => open.delete(s));
          s.on('error', () => (s === inside ? outside : inside).destroy());
        }
        inside.pipe(outside).pipe(inside);
      });
      servers.push(server);
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, resolve));
      // The build user connects through the bind; the directory keeps everyone else on the host out.
      chmodSync(path, 0o666);
      const socket = `/run/cupaas-mirrors/${i}.sock`;
      forwarders.relays.push({ listen: e.listen, port: e.port, socket });
      forwarders.binds.push({ host: path, at: socket, readOnly: true });
    }
    return forwarders;
  } catch (err) {
    await forwarders.close();
    throw err;
  }
}
