/**
 * A stand-in control plane in its own process, for tests that kill it:
 * runs the HAProxy data plane in `argv[2]` (its router dir) on port
 * `argv[3]` (0: any), routing `app.localhost` to the dynos in
 * CUPAAS_TEST_BACKENDS (JSON). Like the real control plane at start, it
 * first reports the app with no dynos, and names them only after
 * CUPAAS_TEST_ADOPT_DELAY_MS (the runtime adopting them). Prints
 * `port N`, then one `request <json>` line per request record; SIGTERM closes
 * the plane (which stops HAProxy) and exits.
 */
import type { Backend } from '../../src/domain/index.js';
import { createHaproxyDataPlane } from '../../src/router/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { delay } from '../../src/shared/wait.js';

const [dir = '', port = '0'] = process.argv.slice(2);
const backends = JSON.parse(process.env.CUPAAS_TEST_BACKENDS ?? '[]') as Backend[];
const logger = createLogger();
const plane = createHaproxyDataPlane({ dir, logger, appSlots: 4, dynoSlots: 4 })(
  { listen: '127.0.0.1', port: Number(port), tlsPort: null, firstByteTimeoutMs: 30_000, connectTimeoutMs: 1000, bootHoldMs: 0 },
  { onRequest: (r) => process.stdout.write(`request ${JSON.stringify(r)}\n`), onBackendFailed: () => {} },
);
plane.setHosts(new Map([['app.localhost', 'app-1']]));
plane.setApp({ appId: 'app-1', maintenance: false, webWanted: true, backends: [] });
const started = await plane.start();
process.stdout.write(`port ${started.port}\n`);
process.once('SIGTERM', () => void plane.close().then(() => process.exit(0)));
await delay(Number(process.env.CUPAAS_TEST_ADOPT_DELAY_MS ?? 0));
plane.setApp({ appId: 'app-1', maintenance: false, webWanted: true, backends });
