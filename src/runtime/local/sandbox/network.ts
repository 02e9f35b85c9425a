import { existsSync, writeFileSync } from 'node:fs';
import { run } from '../../../shared/process.js';
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

export interface DynoNetwork extends DynoSubnet {
  netns: string;
  /** Path `nsenter --net=` takes. */
  netnsPath: string;
  hostInterface: string;
}

const netnsName = (slot: number) => `${NETNS_PREFIX}${slot}`;
const netnsPath = (name: string) => `/run/netns/${name}`;

/**
 * The `ip -batch` lines that create a dyno's namespace and wire it, in two
 * batches: on the host, the namespace (its creation fails when the name
 * exists, which makes the claim atomic across concurrent servers), the veth
 * pair with its peer made inside the namespace as eth0, and the host end's
 * address; then, run with `ip -n`, the inside's address, links and only
 * route. Two programs per dyno (was four with a rename; each program costs
 * the server a fork of its whole process and ~20 ms to start on a small VM:
 * issue 17).
 */
export function wiringBatches(net: DynoNetwork, servicesAddress: string): { host: string; inside: string } {
  return {
    host: [
      `netns add ${net.netns}`,
      `link add ${net.hostInterface} type veth peer name eth0 netns ${net.netns}`,
      `addr add ${net.hostAddress}/30 dev ${net.hostInterface}`,
      `link set ${net.hostInterface} up`,
    ].join('\n'),
    inside: [
      `addr add ${net.dynoAddress}/30 dev eth0`,
      'link set eth0 up',
      'link set lo up',
      // The only route off the link; the dyno has no capabilities to add others.
      `route add ${servicesAddress}/32 via ${net.hostAddress} dev eth0`,
    ].join('\n'),
  };
}

/** The first line (the namespace's creation, i.e. the claim) failed because the name is taken; `ip -batch` names the failed line. */
export const claimTaken = (stderr: string): boolean => /File exists/.test(stderr) && /^Command failed \S+:1$/m.test(stderr);

/**
 * Where a server lists the networks it made that no dyno's record holds yet,
 * from before `ip` creates them: `ip` finishes its batch even if the server is
 * killed meanwhile, and the next server removes what is listed.
 */
export interface NetworkList {
  add(net: DynoNetworkName): void;
  remove(net: DynoNetworkName): void;
}

export type DynoNetworkName = Pick<DynoNetwork, 'netns' | 'hostInterface'>;

/** Claims a free /30 and builds its namespace (see wiringBatches), listed in `list` from before it exists. */
export async function createDynoNetwork(pool: AddressPool, hint: number, list: NetworkList): Promise<DynoNetwork> {
  for (let i = 0; i < pool.size; i++) {
    const slot = (hint + i) % pool.size;
    const netns = netnsName(slot);
    if (existsSync(netnsPath(netns))) continue;
    const net = { ...pool.subnet(slot), netns, netnsPath: netnsPath(netns), hostInterface: `${HOST_IF_PREFIX}${slot}` };
    const batches = wiringBatches(net, pool.servicesAddress);
    list.add(net);
    const host = await run(['ip', '-batch', '-'], { input: batches.host });
    if (host.code !== 0 && claimTaken(host.stderr)) {
      // Taken meanwhile (another server): nothing of it is ours, so nothing to undo.
      list.remove(net);
      continue;
    }
    const inside = host.code === 0 ? await run(['ip', '-n', netns, '-batch', '-'], { input: batches.inside }) : host;
    if (inside.code === 0) {
      // Belt and braces: nothing that arrives from a dyno is forwarded, even if the host enables ip_forward.
      writeQuietly(`/proc/sys/net/ipv4/conf/${net.hostInterface}/forwarding`, '0');
      return net;
    }
    await removeDynoNetwork(net);
    list.remove(net);
    throw new Error(`wiring the dyno network ${netns} failed: ${inside.stderr.trim()}`);
  }
  throw new Error('The dyno address pool is exhausted; set CUPAAS_SANDBOX_ADDRESS_POOL to a larger range.');
}

function writeQuietly(path: string, value: string): void {
  try {
    writeFileSync(path, value);
  } catch {
    // Missing on kernels without per-interface forwarding; the missing default route still isolates.
  }
}

/** Whether any process runs in the network's namespace (a dyno uses it). */
export async function networkInUse(net: DynoNetworkName): Promise<boolean> {
  if (!existsSync(netnsPath(net.netns))) return false;
  const r = await run(['ip', 'netns', 'pids', net.netns]);
  return r.code === 0 && r.stdout.trim() !== '';
}

/** Deletes the namespace (which destroys its veth pair) and the host end if it lingers. */
export async function removeDynoNetwork(net: DynoNetworkName): Promise<void> {
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
