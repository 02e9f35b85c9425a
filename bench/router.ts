/**
 * `npm run bench`: throughput and latency of app traffic, and the platform's
 * runtime costs (platform-runtime.ts); not a test. Each measurement is a
 * named entry in MEASUREMENTS; `npm run bench -- NAME…` runs only those.
 * Prints the results as JSON, then a table; exits non-zero if a data plane
 * logged fewer request records than requests were served.
 */
import { spawn } from 'node:child_process';
import { SERVER_NODE_FLAGS } from '../src/cli/local-server.js';
import { platformRuntime } from './platform-runtime.js';
import { proxyThroughput } from './proxy-throughput.js';
import { loadAverage } from './support/proc.js';
import { printTable, type Measurement, type Result } from './support/measurement.js';

/** Every measurement, in the order they run. */
export const MEASUREMENTS: Measurement[] = [proxyThroughput, platformRuntime];

async function main(only: readonly string[]): Promise<void> {
  const unknown = only.filter((n) => !MEASUREMENTS.some((m) => m.name === n));
  if (unknown.length) throw new Error(`unknown measurement ${unknown.join(', ')}; known: ${MEASUREMENTS.map((m) => m.name).join(', ')}`);
  const results: Result[] = [];
  const load = { before: loadAverage() } as { before: number[]; after?: number[] };
  for (const m of MEASUREMENTS.filter((m) => !only.length || only.includes(m.name))) {
    console.error(`running ${m.name}...`);
    results.push(...(await m.run()));
  }
  load.after = loadAverage();
  // The host's load average (1, 5, 15 min) before and after: on a shared machine, read the figures against it.
  console.log(JSON.stringify({ at: new Date().toISOString(), load, results }, null, 2));
  console.log();
  printTable(results);
  console.log(`load average before ${load.before.join(' ')}, after ${load.after.join(' ')}`);
  // Every request must be logged (issue 17): a plane that lost records under load fails the bench.
  const lost = results.filter((r) => r.logged !== undefined && r.requests !== undefined && r.logged < r.requests);
  for (const r of lost) console.error(`bench: ${r.target} logged ${r.logged} request records for ${r.requests} requests`);
  if (lost.length) process.exitCode = 1;
}

// The data planes under test run in this process, so it runs with the server's V8 flags (its young
// generation and tiering shape the Node plane and the HAProxy log consumer under load); V8 takes
// them only at start, hence the second process.
const missing = SERVER_NODE_FLAGS.filter((f) => !process.execArgv.includes(f));
if (missing.length) {
  const child = spawn(process.execPath, [...process.execArgv, ...missing, ...process.argv.slice(1)], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main(process.argv.slice(2));
}
