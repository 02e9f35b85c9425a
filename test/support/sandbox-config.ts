import type { SandboxConfig } from '../../src/sandbox/index.js';

/**
 * The sandbox as `CUPAAS_SANDBOX=auto` configures it, for tests and benchmarks
 * that make drivers or builds directly; two spare networks, so dyno starts go
 * through the pool without each test file wiring ten.
 */
export const SANDBOX_AUTO: SandboxConfig = { mode: 'auto', privateNetwork: true, addressPool: '172.16.0.0/12', user: 'cupaas-dyno', warmNetworks: 2 };
