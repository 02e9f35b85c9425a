/**
 * Sandboxed dynos for the local runtime, on the platform's one sandbox
 * mechanism (src/sandbox: bubblewrap namespaces, a read-only system, cgroup
 * limits): a cgroup per dyno size with R14/R15, and a private network
 * namespace per dyno with the services address. Owns saying honestly what
 * dynos get; must not decide what runs (the reconciler does) nor touch any
 * cgroup, namespace or interface it did not create.
 */
import { plainLauncher, type Launcher } from '../launcher.js';
import type { RuntimeDriverDeps } from '../../types.js';
import { createSandboxLauncher } from './launcher.js';
import { servicesAddressReport } from './services-address.js';
import { detectSandbox, formatSupport, type SandboxConfig } from '../../../sandbox/index.js';

export { createSandboxLauncher, type SandboxLauncherOptions } from './launcher.js';
export { prepareServicesAddress, type ServicesAddress } from './services-address.js';
export type { SandboxConfig, SandboxSupport, Protection } from '../../../sandbox/index.js';

/** The launcher the sandbox options ask for: sandboxed where possible (`auto`), or plain. */
export function launcherFor(sandbox: SandboxConfig | undefined, deps: Pick<RuntimeDriverDeps, 'logs' | 'logger'>, stateDir: string): Launcher {
  if (!sandbox || sandbox.mode === 'off') return plainLauncher;
  return createSandboxLauncher({ sandbox, stateDir, logs: deps.logs, logger: deps.logger });
}

/**
 * `cupaas server --doctor`: probes every protection the way dynos would use
 * it and returns a report, one line per protection with the reason when off,
 * and where dynos reach add-ons (the services address).
 */
export async function sandboxDoctor(sandbox: SandboxConfig): Promise<{ isolation: string; report: string }> {
  const s = await detectSandbox(sandbox);
  return { isolation: s.isolation, report: `${formatSupport(s)}
${await servicesAddressReport(sandbox)}` };
}
