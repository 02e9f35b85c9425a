/**
 * The real multi-node Swarm for tests (`../shared/tools/swarm-lab`, beside
 * the clone): up for a test file, down at its end (also when it fails), and
 * a small node image pushed to the lab's registry, built from this machine's
 * own node binary (no registry pull).
 */
import { execFile } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { create as createTar } from 'tar';
import { connectEngine, ensureStackImage, imageFromSlug, pushTag, STACK_TAG, stackImageId } from '../../src/images/index.js';
import { silentLogger } from '../../src/shared/logger.js';
import { isAlive } from '../../src/shared/process.js';
import { waitFor } from '../../src/shared/wait.js';
import { tempDir } from './temp.js';

const run = promisify(execFile);
export const SWARM_LAB = resolve(import.meta.dirname, '../../../shared/tools/swarm-lab');

export interface SwarmLab {
  dockerHost: string;
  socketPath: string;
  registry: string;
  hostIp: string;
  nodes: string[];
  lab(...args: string[]): Promise<string>;
  down(): Promise<void>;
}

/** Why the lab cannot run here, or null when it can. */
export function swarmLabSkip(): string | false {
  // In the default suite; CUPAAS_TEST_SWARM=0 leaves the three-node lab out (a machine without the time for it).
  if (process.env.CUPAAS_TEST_SWARM === '0') return 'CUPAAS_TEST_SWARM=0 leaves out the 3-node swarm-lab tests';
  if (process.getuid?.() !== 0) return 'swarm-lab needs root';
  if (!existsSync(SWARM_LAB)) return `no swarm-lab at ${SWARM_LAB}`;
  for (const bin of ['/usr/sbin/dockerd', '/usr/bin/docker-registry']) if (!existsSync(bin)) return `${bin} missing (apt-get install docker.io docker-registry)`;
  return false;
}

/** One lab per machine: test files that need it (run in parallel by the runner) take turns. */
const LAB_LOCK = '/tmp/cupaas-swarm-lab.lock';

function tryLock(): boolean {
  try {
    const fd = openSync(LAB_LOCK, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch {
    // Held: take it over only when its holder is gone (a test process killed before its `after`).
    const holder = Number(readFileSync(LAB_LOCK, { encoding: 'utf8', flag: 'a+' }));
    if (holder && isAlive(holder)) return false;
    rmSync(LAB_LOCK, { force: true });
    return false;
  }
}

export async function labUp(nodes: number): Promise<SwarmLab> {
  await waitFor(() => tryLock() || undefined, { timeoutMs: 30 * 60_000, intervalMs: 1000, what: 'the swarm lab to be free' });
  try {
    return await startLab(nodes);
  } catch (e) {
    rmSync(LAB_LOCK, { force: true });
    throw e;
  }
}

async function startLab(nodes: number): Promise<SwarmLab> {
  const lab = async (...args: string[]) => (await run(SWARM_LAB, args, { maxBuffer: 1 << 24 })).stdout;
  const env = Object.fromEntries(
    [...(await lab('up', String(nodes))).matchAll(/^export (\w+)="?([^"\n]*)"?$/gm)].map((m) => [m[1], m[2]]),
  ) as Record<string, string>;
  const dockerHost = env.DOCKER_HOST as string;
  return {
    dockerHost,
    socketPath: dockerHost.replace('unix://', ''),
    registry: env.SWARM_LAB_REGISTRY as string,
    hostIp: env.SWARM_LAB_HOST_IP as string,
    nodes: (env.SWARM_LAB_NODES as string).split(' '),
    lab,
    down: async () => {
      try {
        reportEnginePanics(dirname(dirname(dockerHost.replace('unix://', ''))));
        await lab('down');
      } finally {
        rmSync(LAB_LOCK, { force: true });
      }
    },
  };
}

/**
 * A node's engine that crashed takes every later case of its test file with it;
 * its Go panic, printed before `down` deletes the logs, says why.
 */
function reportEnginePanics(dir: string): void {
  for (const node of existsSync(dir) ? readdirSync(dir).filter((n) => /^n\d+$/.test(n)) : []) {
    const log = join(dir, node, 'dockerd.log');
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    const at = text.search(/^panic: /m);
    if (at >= 0) console.error(`swarm-lab: the engine of node ${node} panicked:\n${text.slice(at).split('\n').slice(0, 30).join('\n')}`);
  }
}

/**
 * Imports a root filesystem with this machine's node (and the libraries it
 * links) plus the fixture app into the manager's engine and pushes it to the
 * lab registry; returns the reference pinned by digest.
 */
export async function pushNodeImage(lab: SwarmLab, fixture: string, name: string): Promise<string> {
  const root = tempDir('swarm-image');
  const node = process.execPath;
  const libs = [...(await run('ldd', [node])).stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1] as string);
  for (const file of [node, ...libs]) {
    mkdirSync(join(root, dirname(file)), { recursive: true });
    cpSync(file, join(root, file), { dereference: true });
  }
  cpSync(fixture, join(root, 'app'), { recursive: true });
  mkdirSync(join(root, 'tmp'), { mode: 0o1777 });
  const docker = new Docker({ socketPath: lab.socketPath });
  const repo = `${lab.registry}/${name}`;
  const tar = createTar({ cwd: root, portable: true }, ['.']);
  const imported = (await docker.importImage(tar as never, { repo, tag: 'test', changes: ['CMD ["/usr/bin/node","/app/server.js"]', 'WORKDIR /app'] } as never)) as unknown;
  await follow(docker, imported as NodeJS.ReadableStream);
  let digest = '';
  await follow(docker, await docker.getImage(`${repo}:test`).push({ authconfig: { serveraddress: lab.registry } }), (e) => {
    const d = (e as { aux?: { Digest?: string } }).aux?.Digest;
    if (d) digest = d;
  });
  if (!digest) throw new Error('push reported no digest');
  return `${repo}@${digest}`;
}

function follow(docker: Docker, stream: NodeJS.ReadableStream, onEvent?: (e: unknown) => void): Promise<void> {
  return new Promise((ok, fail) =>
    docker.modem.followProgress(stream, (err: Error | null, events: unknown[]) => {
      const bad = events.find((e) => (e as { error?: string }).error) as { error?: string } | undefined;
      return err || bad ? fail(err ?? new Error(bad?.error)) : ok();
    }, onEvent),
  );
}

/**
 * A slug made into an image on a swarm lab's manager and pushed to the lab
 * registry, for drivers whose nodes pull (the runtime contract on `swarm`):
 * the stack image comes from this machine's engine (built there once), every
 * node pulls the release image before the test so the contract's waits
 * measure the driver, not the first download. Needs `swarm-lab env` in the
 * environment (DOCKER_HOST of the manager, SWARM_LAB_REGISTRY).
 */
export async function labSlugImage(
  slugs: Parameters<typeof imageFromSlug>[1],
  req: { checksum: string; home: string },
): Promise<{ id: string; ref: string }> {
  const registry = process.env.SWARM_LAB_REGISTRY;
  const manager = process.env.DOCKER_HOST?.replace('unix://', '');
  if (!registry || !manager) throw new Error('run `eval "$(swarm-lab env)"` first');
  const labDir = dirname(dirname(manager));
  const host = connectEngine('/var/run/docker.sock');
  await ensureStackImage(host, silentLogger);
  const nodeSockets = readdirSync(labDir).filter((n) => /^n\d+$/.test(n)).map((n) => join(labDir, n, 'docker.sock'));
  const engine = connectEngine(manager);
  if (!(await stackImageId(engine))) {
    const saved = (await host.getImage(STACK_TAG).get()) as NodeJS.ReadableStream;
    await engine.loadImage(saved as never);
  }
  const id = await imageFromSlug(engine, slugs, { checksum: req.checksum, home: req.home, cmd: null });
  const pushed = await pushTag(engine, id, { host: registry, repo: 'contract', tag: req.checksum.slice(7, 19) }, { username: '', password: '' });
  const ref = `${pushed.ref}@${pushed.digest}`;
  await Promise.all(
    nodeSockets.map(async (socket) => {
      const node = new Docker({ socketPath: socket });
      await follow(node, await node.pull(ref, { authconfig: { serveraddress: registry } }));
    }),
  );
  return { id: pushed.digest, ref: pushed.ref };
}
