/**
 * A tiny fixture app (node) packed as a real slug, for runtime and reconciler
 * tests that cannot wait for the build pipeline. Its behaviour follows config
 * vars: MODE=serve (default) | crash | hang; IGNORE_TERM=1 ignores SIGTERM.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogLine, LogSink, ProcessTypes } from '../../src/domain/index.js';
import { createReleaseService } from '../../src/releases/index.js';
import type { RuntimeDriver, RuntimeDriverDeps, RuntimeDriverFactory } from '../../src/runtime/index.js';
import { createEventBus } from '../../src/shared/events.js';
import { newId } from '../../src/shared/ids.js';
import { createSlugArchive } from '../../src/slugs/index.js';
import { openStore } from '../../src/store/index.js';

const SERVER = `
const http = require('http');
const fs = require('fs');
const mode = process.env.MODE || 'serve';
process.on('SIGTERM', () => {
  console.log('got SIGTERM');
  if (!process.env.IGNORE_TERM) process.exit(0);
});
console.log('booting ' + process.env.DYNO);
if (mode === 'crash') process.exit(3);
if (mode === 'hang') setInterval(() => {}, 1000);
else {
  http.createServer((req, res) => {
    if (req.url === '/env') return res.end(JSON.stringify(process.env));
    if (req.url === '/write') { fs.writeFileSync('scratch.txt', process.env.DYNO); return res.end('ok'); }
    if (req.url === '/read') return res.end(fs.existsSync('scratch.txt') ? fs.readFileSync('scratch.txt') : 'none');
    if (req.url.startsWith('/say/')) { console.log('said ' + req.url.slice(5)); return res.end('ok'); }
    res.end(JSON.stringify({ dyno: process.env.DYNO, release: process.env.CUPAAS_RELEASE_VERSION, pid: process.pid }));
  }).listen(Number(process.env.PORT), () => console.log('listening on ' + process.env.PORT));
}
`;

const WORKER = `
const { spawn } = require('child_process');
process.on('SIGTERM', () => { if (!process.env.IGNORE_TERM) process.exit(0); });
const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
console.log('worker ' + process.env.DYNO + ' child=' + child.pid);
if (process.env.MODE === 'crash') process.exit(3);
setInterval(() => {}, 1000);
`;

export const FIXTURE_PROCESS_TYPES: ProcessTypes = Object.freeze({
  web: 'node server.js',
  worker: 'node worker.js',
});

/** Packs the fixture app into `home/slugs` and returns its checksum and size. */
export async function packFixtureSlug(home: string): Promise<{ checksum: string; size: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-fixture-'));
  try {
    writeFileSync(join(dir, 'server.js'), SERVER);
    writeFileSync(join(dir, 'worker.js'), WORKER);
    writeFileSync(join(dir, 'Procfile'), 'web: node server.js\nworker: node worker.js\n');
    mkdirSync(join(dir, '.profile.d'));
    writeFileSync(join(dir, '.profile.d', 'fixture.sh'), 'export FROM_PROFILE_D=yes\n');
    writeFileSync(join(dir, '.profile'), 'export FROM_PROFILE="${FROM_PROFILE_D}-then-profile"\n');
    return await createSlugArchive(join(home, 'slugs')).pack(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether a process runs (zombies, which an unreaping pid 1 may leave behind, do not count). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Host pids of the app's fixture web processes (a sandbox may show dynos other pids inside). */
export function dynoHostPids(app: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const env = readFileSync(`/proc/${d}/environ`, 'utf8').split('\0');
        return env.includes(`CUPAAS_APP=${app}`) && readFileSync(`/proc/${d}/cmdline`, 'utf8').startsWith('node\0server.js');
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(running);
}

/** A LogSink that keeps every line (stamped with its arrival time), for assertions. */
export function collectingLogSink(): LogSink & { lines: Array<LogLine & { appId: string }>; text(): string } {
  const lines: Array<LogLine & { appId: string }> = [];
  return {
    lines,
    write: (appId, line) => void lines.push({ ...line, time: line.time ?? new Date(), appId }),
    text: () => lines.map((l) => `${l.source}[${l.process}]: ${l.message}`).join('\n'),
  };
}

/**
 * Records a deploy of the fixture slug in a server's home, as a build would
 * (the running server picks it up on its next reconcile tick).
 */
export async function seedFixtureRelease(home: string, appName: string): Promise<void> {
  const slug = await packFixtureSlug(home);
  const store = openStore({ dbPath: join(home, 'state.db'), secretKeyPath: join(home, 'secret.key') });
  try {
    const app = store.apps.find(appName);
    if (!app) throw new Error(`no app ${appName}`);
    const slugId = newId();
    store.slugs.insert({
      id: slugId, appId: app.id, checksum: slug.checksum, size: slug.size, processTypes: FIXTURE_PROCESS_TYPES,
      commit: null, commitDescription: null, stack: 'cupaas-24', buildpackDescription: null, healthCheckPath: null, imageId: null, createdAt: new Date().toISOString(),
    });
    createReleaseService({ store, events: createEventBus() }).deploy(app, { slugId, description: 'Deploy fixture', services: [], userId: null });
  } finally {
    store.close();
  }
}

/** Drivers made by one factory on the same deps (a later one adopts what an earlier left), closed together. */
export function driverPool(factory: RuntimeDriverFactory, deps: RuntimeDriverDeps): { newDriver(): RuntimeDriver; closeAll(): Promise<void> } {
  const drivers: RuntimeDriver[] = [];
  return {
    newDriver() {
      const d = factory(deps);
      drivers.push(d);
      return d;
    },
    async closeAll() {
      for (const d of drivers) await d.close();
    },
  };
}
