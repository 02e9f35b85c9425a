import { existsSync, writeFileSync } from 'node:fs';
import { run, runChecked } from '../../../shared/process.js';
import type { AddressPool, DynoSubnet } from './address-pool.js';

/**
 * Private dyno networks: one network namespace per dyno, joined to the host
 * by a veth pair carrying a /30. The dyno gets no default route: it reaches
 * the host end of its own pair, and the pool's services address through it
 * (a host-local address, delivered on the host without forwarding); another
 * dyno's /30 is unroutable from inside.
 */

/** Every name we create starts with these, so nothing else on the host is ever touched. */
const NETNS_PREFIX = 'cupaas-dyno-';
const HOST_IF_PREFIX = 'cpv';
const PEER_IF_PREFIX = 'cpd';

export interface DynoNetwork extends DynoSubnet {
  netns: string;
  /** Path `nsenter --net=` takes. */
  netnsPath: string;
  hostInterface: string;
}

const netnsName = (slot: number) => `${NETNS_PREFIX}${slot}`;
const netnsPath = (name: string) => `/run/netns/${name}`;

/**
 * Claims a free /30 and builds its namespace. `ip netns add` fails when the
 * name exists, which makes the claim atomic across concurrent servers.
 */
export async function createDynoNetwork(pool: AddressPool, hint: number): Promise<DynoNetwork> {
  for (let i = 0; i < pool.size; i++) {
    const slot = (hint + i) % pool.size;
    const netns = netnsName(slot);
    if (existsSync(netnsPath(netns))) continue;
    const claimed = await run(['ip', 'netns', 'add', netns]);
    if (claimed.code !== 0) continue;
    const net = { ...pool.subnet(slot), netns, netnsPath: netnsPath(netns), hostInterface: `${HOST_IF_PREFIX}${slot}` };
    try {
      await wire(net, pool.servicesAddress);
      return net;
    } catch (e) {
      await removeDynoNetwork(net);
      throw e;
    }
  }
  throw new Error('The dyno address pool is exhausted; set CUPAAS_SANDBOX_ADDRESS_POOL to a larger range.');
}

async function wire(net: DynoNetwork, servicesAddress: string): Promise<void> {
  const peer = `${PEER_IF_PREFIX}${net.slot}`;
  await runChecked(['ip', '-batch', '-'], {
    input: [
      `link add ${net.hostInterface} type veth peer name ${peer} netns ${net.netns}`,
      `addr add ${net.hostAddress}/30 dev ${net.hostInterface}`,
      `link set ${net.hostInterface} up`,
    ].join('\n'),
  });
  // Belt and braces: nothing that arrives from a dyno is forwarded, even if the host enables ip_forward.
  writeQuietly(`/proc/sys/net/ipv4/conf/${net.hostInterface}/forwarding`, '0');
  await runChecked(['ip', '-netns', net.netns, '-batch', '-'], {
    input: [
      `link set ${peer} name eth0`,
      `addr add ${net.dynoAddress}/30 dev eth0`,
      'link set eth0 up',
      'link set lo up',
      // The only route off the link; the dyno has no capabilities to add others.
      `route add ${servicesAddress}/32 via ${net.hostAddress} dev eth0`,
    ].join('\n'),
  });
}

function writeQuietly(path: string, value: string): void {
  try {
    writeFileSync(path, value);
  } catch {
    // Missing on kernels without per-interface forwarding; the missing default route still isolates.
  }
}

/** Deletes the namespace (which destroys its veth pair) and the host end if it lingers. */
export async function removeDynoNetwork(net: Pick<DynoNetwork, 'netns' | 'hostInterface'>): Promise<void> {
  if (!net.netns.startsWith(NETNS_PREFIX) || !net.hostInterface.startsWith(HOST_IF_PREFIX)) {
    throw new Error(`refusing to remove ${net.netns}/${net.hostInterface}: not a cupaas dyno network`);
  }
  await removeUnlessGone(['ip', 'netns', 'delete', net.netns], netnsPath(net.netns));
  // Deleting the namespace destroys the pair asynchronously: only an interface that outlives that is an error.
  await removeUnlessGone(['ip', 'link', 'delete', net.hostInterface], `/sys/class/net/${net.hostInterface}`);
}

/** Runs a delete; failing is only an error when `path` still exists (someone else may have won the race). */
async function removeUnlessGone(argv: string[], path: string): Promise<void> {
  if (!existsSync(path)) return;
  const r = await run(argv);
  if (r.code !== 0 && existsSync(path)) throw new Error(`${argv.join(' ')} failed: ${r.stderr.trim()}`);
}
