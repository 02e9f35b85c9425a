/**
 * Images and the docker runtime, measured (not a test): milliseconds from
 * asking a driver to start a web dyno to it answering, for plain local,
 * sandboxed local and docker dynos in the same run; making the image of a
 * slug (cold: a new slug; warm: the same slug again); a Dockerfile build and
 * its rebuild after a code-only change; and the memory each dyno holds on the
 * host (its processes, plus the engine's per-container shim). Medians of
 * several runs. Prints JSON, then one line per figure. Needs root and the
 * Docker engine. Run with `npm run bench:images`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_STACK_PATH } from '../src/config/index.js';
import { buildDockerfile, connectEngine, ensureStackImage, homeLabel, imageFromSlug, LABEL } from '../src/images/index.js';
import { RUNTIME_DRIVERS, type DynoArtifact, type DynoEvent, type RuntimeDriver } from '../src/runtime/index.js';
import { newId } from '../src/shared/ids.js';
import { silentLogger } from '../src/shared/logger.js';
import { waitFor } from '../src/shared/wait.js';
import { createSlugArchive } from '../src/slugs/index.js';
import { collectingLogSink, FIXTURE_PROCESS_TYPES, packFixtureSlug } from '../test/support/runtime-fixtures.js';
import { groupRssKb, rssKb } from './support/proc.js';

const RUNS = 5;
const SOCKET = '/var/run/docker.sock';
const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number);
const sandbox = { mode: 'auto' as const, privateNetwork: true, addressPool: '172.16.0.0/12', user: 'cupaas-dyno' };
const engine = connectEngine(SOCKET);
const home = mkdtempSync(join(tmpdir(), 'cupaas-bench-images-'));
const slugs = createSlugArchive(join(home, 'slugs'));
const owner = homeLabel(home);

const pids = () => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
const readOr = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** Host RSS of a container: every process in its cgroup, plus the engine's shim for it. */
async function containerRssKb(containerId: string): Promise<number> {
  const info = await engine.getContainer(containerId).inspect();
  const cgroup = readOr(`/proc/${info.State.Pid}/cgroup`);
  const inside = pids().filter((p) => readOr(`/proc/${p}/cgroup`) === cgroup);
  const shims = pids().filter((p) => readOr(`/proc/${p}/cmdline`).split('\0').includes(containerId));
  return [...inside, ...shims].reduce((kb, p) => kb + rssKb(p), 0);
}

async function dynoStarts(label: string, driver: RuntimeDriver, artifact: DynoArtifact) {
  const events: DynoEvent[] = [];
  driver.subscribe((e) => events.push(e));
  await driver.adopt();
  const startMs: number[] = [];
  const memKb: number[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const dynoId = newId();
    const t0 = performance.now();
    driver.start({
      dynoId, appId: 'bench', name: `web.${i}`, processType: 'web', releaseId: 'r1', releaseVersion: 1, artifact,
      command: FIXTURE_PROCESS_TYPES.web as string, size: 'standard-1x', env: { DYNO: `web.${i}` }, web: true, healthCheckPath: null,
    });
    await waitFor(() => events.some((e) => e.type === 'up' && e.dynoId === dynoId), { timeoutMs: 60_000, intervalMs: 5, what: 'up' });
    startMs.push(performance.now() - t0);
  }
  for (const d of driver.list()) {
    if (driver.runs === 'image') {
      const [c] = await engine.listContainers({ filters: JSON.stringify({ label: [`${LABEL.dynoId}=${d.spec.dynoId}`] }) });
      if (c) memKb.push(await containerRssKb(c.Id));
    } else {
      memKb.push(groupRssKb(Number(JSON.parse(readFileSync(join(home, 'dynos', d.spec.dynoId, 'dyno.json'), 'utf8')).pid)));
    }
  }
  const isolation = driver.list()[0]?.isolation ?? '';
  await driver.close();
  return { label, isolation, startMsMedian: median(startMs), startMs: startMs.map(Math.round), rssKbMedian: median(memKb) };
}

async function slugImages(checksum: string) {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // A new slug each run (a code change), then the same slug again.
    const dir = mkdtempSync(join(tmpdir(), 'cupaas-bench-slug-'));
    writeFileSync(join(dir, 'server.js'), `// run ${i} ${newId()}\n`);
    const slug = i === 0 ? { checksum } : await slugs.pack(dir);
    rmSync(dir, { recursive: true, force: true });
    let t0 = performance.now();
    await imageFromSlug(engine, slugs, { checksum: slug.checksum, home: owner, cmd: null });
    cold.push(performance.now() - t0);
    t0 = performance.now();
    await imageFromSlug(engine, slugs, { checksum: slug.checksum, home: owner, cmd: null });
    warm.push(performance.now() - t0);
  }
  return { coldMsMedian: median(cold), warmMsMedian: median(warm), coldMs: cold.map(Math.round), warmMs: warm.map(Math.round) };
}

async function dockerfileBuilds() {
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-bench-dockerfile-'));
  const dockerfileText = 'FROM cupaas/stack:latest\nRUN echo dependencies > /app/deps.txt\nCOPY server.js /app/server.js\nCMD ["node", "server.js"]\n';
  writeFileSync(join(dir, 'Dockerfile'), dockerfileText);
  const build = async (marker: string) => {
    writeFileSync(join(dir, 'server.js'), `// ${marker}\n`);
    const t0 = performance.now();
    await buildDockerfile(engine, {
      dir, dockerfile: 'Dockerfile', dockerfileText, config: {}, home: owner, appId: 'bench', memoryBytes: 1024 ** 3,
      signal: new AbortController().signal, onLine: () => undefined,
    });
    return performance.now() - t0;
  };
  const first = await build('first');
  const rebuilds: number[] = [];
  for (let i = 0; i < RUNS; i++) rebuilds.push(await build(`change ${i} ${newId()}`));
  rmSync(dir, { recursive: true, force: true });
  return { firstBuildMs: Math.round(first), codeChangeRebuildMsMedian: median(rebuilds), rebuildMs: rebuilds.map(Math.round) };
}

try {
  await ensureStackImage(engine, silentLogger);
  const { checksum } = await packFixtureSlug(home);
  const images = await slugImages(checksum);
  const imageId = await imageFromSlug(engine, slugs, { checksum, home: owner, cmd: null });
  const config = { home, stackPath: DEFAULT_STACK_PATH, dyno: { bootTimeoutMs: 60_000, stopTimeoutMs: 2000, crashBackoffBaseMs: 1000, crashBackoffMaxMs: 1000 } };
  const deps = (over: object = {}) => ({ config: { ...config, ...over }, logs: collectingLogSink(), logger: silentLogger });
  const slug = { slugChecksum: checksum, image: null };
  const starts = [
    await dynoStarts('local', RUNTIME_DRIVERS.local!(deps()), slug),
    await dynoStarts('local sandboxed', RUNTIME_DRIVERS.local!(deps({ sandbox })), slug),
    await dynoStarts('docker', RUNTIME_DRIVERS.docker!(deps()), { slugChecksum: checksum, image: { id: imageId, ref: imageId } }),
  ];
  const dockerfile = await dockerfileBuilds();
  const base = starts[1]!;
  const docker = starts[2]!;
  const result = {
    benchmark: 'images', runs: RUNS, dynoStart: starts, slugImage: images, dockerfile,
    containerVsSandboxRssKb: docker.rssKbMedian - base.rssKbMedian,
    dockerVsSandboxStartRatio: Number((docker.startMsMedian / base.startMsMedian).toFixed(2)),
  };
  console.log(JSON.stringify(result, null, 2));
  for (const s of starts) console.log(`dyno start-to-serving ${s.label.padEnd(16)} ${String(s.startMsMedian).padStart(6)} ms median, ${String(s.rssKbMedian).padStart(7)} KB RSS per dyno`);
  console.log(`slug image cold ${images.coldMsMedian} ms, warm ${images.warmMsMedian} ms; Dockerfile first build ${dockerfile.firstBuildMs} ms, code-only rebuild ${dockerfile.codeChangeRebuildMsMedian} ms`);
  console.log(`container vs sandboxed process: ${result.containerVsSandboxRssKb} KB more per dyno, start ${result.dockerVsSandboxStartRatio}x`);
} finally {
  for (const i of await engine.listImages({ filters: JSON.stringify({ label: [`${LABEL.home}=${owner}`] }) })) {
    await engine.getImage(i.Id).remove({ force: true }).catch(() => undefined);
  }
  rmSync(home, { recursive: true, force: true });
}
