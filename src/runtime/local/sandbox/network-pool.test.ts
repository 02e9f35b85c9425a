/** The spare dyno networks, on real namespaces (root, `ip` and a sandbox that gives dynos a network, else skipped). */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SANDBOX_AUTO } from '../../../../test/support/sandbox-config.js';
import { tempDir } from '../../../../test/support/temp.js';
import { silentLogger } from '../../../shared/logger.js';
import { run } from '../../../shared/process.js';
import { waitFor } from '../../../shared/wait.js';
import { parseAddressPool } from './address-pool.js';
import { sandboxDoctor } from './index.js';
import { createNetworkPool } from './network-pool.js';
import { createDynoNetwork, removeDynoNetwork, type DynoNetwork } from './network.js';

const doctor = await sandboxDoctor(SANDBOX_AUTO);
const skip = doctor.isolation.includes('netns') ? false : `dynos get no private network on this host (${doctor.isolation})`;
const addresses = parseAddressPool(SANDBOX_AUTO.addressPool);
const exists = (n: { netns: string }) => existsSync(`/run/netns/${n.netns}`);
const listed = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as Array<{ netns: string }>).map((n) => n.netns);

const taken: DynoNetwork[] = [];
after(async () => {
  for (const n of taken) await removeDynoNetwork(n);
});

test('wires on demand at first, then keeps spares that launches take at once; a later server removes what a killed one left', { skip }, async () => {
  const file = join(tempDir('cupaas-pool'), 'spare-networks.json');
  const pool = createNetworkPool(addresses, { size: 2, file, logger: silentLogger, quietMs: 50 });
  const first = await pool.take();
  taken.push(first);
  assert.ok(exists(first), 'the first network is wired on demand');
  pool.handedOver(first);
  await waitFor(() => existsSync(file) && listed(file).length === 2, { what: 'two spares', timeoutMs: 20_000 });
  const spares = listed(file);
  assert.ok(!spares.includes(first.netns));
  const second = await pool.take();
  taken.push(second);
  assert.equal(second.netns, spares[0], 'a spare, handed out once');
  assert.ok(listed(file).includes(second.netns), 'listed until the launch has recorded it');
  pool.handedOver(second);
  assert.ok(!listed(file).includes(second.netns), 'no longer listed: the dyno records it');
  await waitFor(() => listed(file).length === 2, { what: 'the pool refilled', timeoutMs: 20_000 });
  const left = listed(file);

  // The server is killed: its spares stay, listed; the next server on the home removes them.
  const next = createNetworkPool(addresses, { size: 0, file, logger: silentLogger });
  await next.recover();
  assert.deepEqual(left.map((netns) => exists({ netns })), [false, false]);
  assert.deepEqual(listed(file), []);
  assert.ok(exists(first) && exists(second), 'networks in use are not spares');
  await next.close();
});

test('close removes the spares and wires no more', { skip }, async () => {
  const file = join(tempDir('cupaas-pool'), 'spare-networks.json');
  const pool = createNetworkPool(addresses, { size: 2, file, logger: silentLogger, quietMs: 50 });
  const first = await pool.take();
  taken.push(first);
  pool.handedOver(first);
  await waitFor(() => existsSync(file) && listed(file).length === 2, { what: 'two spares', timeoutMs: 20_000 });
  const spares = listed(file);
  await pool.close();
  assert.deepEqual(spares.map((netns) => exists({ netns })), [false, false]);
  assert.deepEqual(listed(file), []);
});

test('no spare is wired while launches keep coming', { skip }, async () => {
  const file = join(tempDir('cupaas-pool'), 'spare-networks.json');
  const pool = createNetworkPool(addresses, { size: 2, file, logger: silentLogger, quietMs: 3000 });
  for (let i = 0; i < 3; i++) {
    const net = await pool.take();
    taken.push(net);
    pool.handedOver(net);
    assert.deepEqual(listed(file), [], 'nothing wired ahead during the burst');
  }
  await waitFor(() => existsSync(file) && listed(file).length === 2, { what: 'spares after the burst', timeoutMs: 20_000 });
  await pool.close();
});

test('lists a network from before it exists, so a server killed while `ip` wires it leaves it listed', { skip }, async () => {
  const seen: boolean[] = [];
  const list = { add: (n: { netns: string }) => seen.push(exists(n)), remove: () => undefined };
  const net = await createDynoNetwork(addresses, Math.floor(Math.random() * addresses.size), list);
  taken.push(net);
  assert.deepEqual(seen, [false], 'listed first, then created');
  assert.ok(exists(net));
});

test('a network that is in use is left alone by the next server, even when listed', { skip }, async () => {
  const file = join(tempDir('cupaas-pool'), 'spare-networks.json');
  const pool = createNetworkPool(addresses, { size: 0, file, logger: silentLogger });
  const net = await pool.take();
  taken.push(net);
  // A process in the namespace, as a dyno would be; the pool still lists the network (not handed over).
  const sleeper = spawn('ip', ['netns', 'exec', net.netns, 'sleep', '30'], { stdio: 'ignore' });
  try {
    await waitFor(async () => (await run(['ip', 'netns', 'pids', net.netns])).stdout.trim() !== '', { what: 'a process in the namespace' });
    await createNetworkPool(addresses, { size: 0, file, logger: silentLogger }).recover();
    assert.ok(exists(net), 'still there');
    assert.deepEqual(listed(file), [], 'and no longer listed');
  } finally {
    sleeper.kill('SIGKILL');
  }
});
