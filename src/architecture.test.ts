/**
 * The import rules of docs/ARCHITECTURE.md, checked on every test run:
 * dependencies point one way (down the layers), and a subsystem is entered
 * only through its index.ts (`shared` is a kit of independent modules).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, it } from 'node:test';

/** Lowest first. A subsystem may import only from subsystems of a lower layer. */
const LAYERS: readonly (readonly string[])[] = [
  ['shared'],
  ['domain'],
  ['config'],
  ['store', 'slugs'],
  ['images'],
  ['build', 'runtime', 'logs'],
  ['releases'],
  ['apps'],
  ['deploy', 'reconciler', 'router', 'addons', 'repo-sync'],
  ['api'],
  ['git'],
  ['server'],
  ['cli'],
];
const rank = new Map(LAYERS.flatMap((names, i) => names.map((n) => [n, i] as const)));
/** The CLI reaches the platform over HTTP; `server` only for the `cupaas server` command. */
const CLI_MAY_IMPORT = new Set(['shared', 'domain', 'config', 'server']);

const SRC = new URL('.', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [p] : [];
  });
}

interface Edge {
  file: string;
  from: string;
  to: string;
  /** Path inside the target subsystem. */
  entry: string;
}

function crossImports(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file).split('/')[0] as string;
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const target = relative(SRC, normalize(join(dirname(file), m[1] as string)));
      if (target.startsWith('..')) continue;
      const [to, ...rest] = target.split('/');
      if (to && to !== from) edges.push({ file: relative(SRC, file), from, to, entry: rest.join('/') });
    }
  }
  return edges;
}

describe('architecture', () => {
  const edges = crossImports();

  it('knows every subsystem', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    assert.deepEqual(folders.filter((f) => !rank.has(f)), [], 'add new subsystems to LAYERS and docs/ARCHITECTURE.md');
    assert.ok(edges.length > 50, `only ${edges.length} cross-subsystem imports found: the scan is broken`);
  });

  it('imports only downwards', () => {
    const upward = edges.filter((e) => (rank.get(e.to) ?? -1) >= (rank.get(e.from) ?? -1));
    assert.deepEqual(upward.map((e) => `${e.file} -> ${e.to}`), []);
  });

  it('enters other subsystems through their index.ts', () => {
    const backDoors = edges.filter((e) => e.to !== 'shared' && e.entry !== 'index.js');
    assert.deepEqual(backDoors.map((e) => `${e.file} -> ${e.to}/${e.entry}`), []);
  });

  it('keeps the CLI a client of the API', () => {
    const cli = edges.filter((e) => e.from === 'cli' && !CLI_MAY_IMPORT.has(e.to));
    assert.deepEqual(cli.map((e) => `${e.file} -> ${e.to}`), []);
  });
});
