// Runs the test suites with node's test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [unit|api|e2e|all] [extra file filters...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const SUITES = {
  unit: ['src'],
  api: ['test/api'],
  e2e: ['test/e2e'],
};

function findTests(dir) {
  let out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(findTests(p));
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out.sort();
}

const [suite = 'all', ...filters] = process.argv.slice(2);
const dirs = suite === 'all' ? Object.values(SUITES).flat() : SUITES[suite];
if (!dirs) {
  console.error(`unknown suite ${suite}; use unit, api, e2e or all`);
  process.exit(2);
}
let files = dirs.flatMap((d) => findTests(join(root, d)));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (!files.length) {
  console.error('no test files matched');
  process.exit(1);
}
const concurrency = process.env.CUPAAS_TEST_CONCURRENCY ?? '2';
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=600000', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
