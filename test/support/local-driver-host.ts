/**
 * A server stand-in for adoption tests: runs the local driver in its own
 * process, starts the dyno given as JSON in argv[3] on home argv[2], prints
 * `up` once it is, then waits to be killed (kill -9: a crashed server).
 */
import { DEFAULT_STACK_PATH } from '../../src/config/index.js';
import type { DynoSpec } from '../../src/runtime/index.js';
import { createLocalDriver } from '../../src/runtime/local/index.js';
import { silentLogger } from '../../src/shared/logger.js';

const [home, specJson] = process.argv.slice(2) as [string, string];
const spec = JSON.parse(specJson) as DynoSpec;
const config = { home, stackPath: DEFAULT_STACK_PATH, dyno: { bootTimeoutMs: 5000, stopTimeoutMs: 3000, crashBackoffBaseMs: 100, crashBackoffMaxMs: 1000 } };
const driver = createLocalDriver({ config, logs: { write: () => {} }, logger: silentLogger });
driver.subscribe((e) => {
  if (e.type === 'up' && e.dynoId === spec.dynoId) process.stdout.write('up\n');
});
driver.start(spec);
setInterval(() => {}, 60_000);
