import type { ResolvedConfig } from '../../../config/index.js';
import type { ServicesAddress } from '../../types.js';
import { errorMessage } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logger.js';
import { run } from '../../../shared/process.js';
import { parseAddressPool } from './address-pool.js';
import type { SandboxConfig } from './support.js';

/**
 * The services address: the address pool's last usable address, put on the
 * host's `lo` so that add-on servers can listen on it. Every private dyno
 * network routes it through its own veth, and the host delivers it locally
 * (it is a local address), so ip_forward stays off and no dyno can reach
 * another. With dynos on the host network it is just another local address,
 * so one add-on URL works for both kinds of dyno.
 *
 * Why `lo` and not a dummy interface: the dummy driver is a kernel module that
 * containers and slim kernels often lack, while `lo` always exists. The label
 * names the address as ours in `ip addr`.
 */
const LABEL = 'lo:cupaas-svc';

export type { ServicesAddress };

/** The services address this host and config call for, or why there is none. */
function servicesAddressFor(sandbox: SandboxConfig): ServicesAddress | { reason: string } {
  if (sandbox.mode === 'off') return { reason: 'the sandbox is off (CUPAAS_SANDBOX=off), dynos share the host network' };
  if (!sandbox.privateNetwork) return { reason: 'private dyno networks are off (CUPAAS_SANDBOX_NETWORK=off)' };
  if (process.platform !== 'linux') return { reason: `not Linux (${process.platform})` };
  if (process.getuid?.() !== 0) return { reason: 'the server does not run as root' };
  const pool = parseAddressPool(sandbox.addressPool);
  return { address: pool.servicesAddress, clients: pool.cidr };
}

async function isPresent(address: string): Promise<boolean> {
  const r = await run(['ip', '-o', '-4', 'addr', 'show', 'dev', 'lo']);
  return r.code === 0 && r.stdout.split(/\s+/).includes(`${address}/32`);
}

/**
 * Puts the services address on `lo` unless it is there (a previous or a
 * concurrent server may have added it; it is left in place at shutdown for the
 * same reason). Resolves with null, and logs why, when this host cannot have
 * one: add-ons then use 127.0.0.1. Must run before add-on servers start.
 */
export async function prepareServicesAddress(
  config: Pick<ResolvedConfig, 'sandbox'>, logger: Logger,
): Promise<ServicesAddress | null> {
  const s = servicesAddressFor(config.sandbox);
  if ('reason' in s) {
    logger.info('no services address; add-ons listen on 127.0.0.1 only', { why: s.reason });
    return null;
  }
  try {
    if (await isPresent(s.address)) return s;
    const added = await run(['ip', 'addr', 'add', `${s.address}/32`, 'dev', 'lo', 'label', LABEL]);
    if (added.code !== 0 && !(await isPresent(s.address))) throw new Error(added.stderr.trim() || `exit ${added.code}`);
    logger.info('services address set up for add-ons', { address: s.address });
    return s;
  } catch (e) {
    logger.warn('cannot set up the services address; sandboxed dynos will not reach add-ons', {
      address: s.address, error: errorMessage(e), fix: 'install iproute2 and run the server as root',
    });
    return null;
  }
}

/** The doctor's line about the services address (only looks, changes nothing). */
export async function servicesAddressReport(sandbox: SandboxConfig): Promise<string> {
  const s = servicesAddressFor(sandbox);
  if ('reason' in s) return `[off] services address: none, add-ons listen on 127.0.0.1 only (${s.reason})`;
  const present = await isPresent(s.address).catch(() => false);
  return `[on]  services address: ${s.address} on lo (${present ? 'present' : 'added at server start'}); ` +
    `add-on servers listen there, every dyno network routes to it, clients allowed from ${s.clients}`;
}
