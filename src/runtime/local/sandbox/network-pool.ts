import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../shared/logger.js';
import { errorMessage } from '../../../shared/errors.js';
import type { AddressPool } from './address-pool.js';
import { createDynoNetwork, networkInUse, removeDynoNetwork, type DynoNetwork, type DynoNetworkName, type NetworkList } from './network.js';

/**
 * Dyno networks wired ahead of need. Wiring one runs two `ip` programs (each
 * a fork of the server and ~20 ms on a small VM), and a scale-out wires all
 * its new dynos at once, before any of them can start: on a 2-core host that
 * was most of what a sandboxed scale-out took beyond a plain one (issue 17).
 * The pool keeps `size` wired networks; a launch takes one at once, and the
 * pool refills one network at a time once launches have paused for `quietMs`
 * (3 s: long enough for the dynos just launched to boot), so refilling does
 * not compete with the starts it prepared for. Nothing is wired before the
 * first sandboxed dyno: a server that runs none makes none.
 *
 * Every network the pool made and no dyno's record holds yet (spares, ones
 * being wired, ones taken by a launch that has not recorded them) is listed
 * in `file`, from before `ip` creates it, so a server started after one that
 * was killed removes what that one left; a dyno's record holds its network
 * from `handedOver` on (records.ts). A network is never handed out twice and
 * never reused after a dyno: the namespace goes with the dyno, as before.
 */
export interface NetworkPool {
  take(): Promise<DynoNetwork>;
  /** The launch recorded `net` in its dyno's record: the pool no longer lists it. */
  handedOver(net: DynoNetworkName): void;
  /** Removes the spares a previous server on this home left. */
  recover(): Promise<void>;
  /** Removes the spares and makes no more. */
  close(): Promise<void>;
}

export interface NetworkPoolOptions {
  size: number;
  file: string;
  logger: Logger;
  quietMs?: number;
}

/** Where a server on `home` lists its spares. */
export const spareNetworksFile = (home: string): string => join(home, 'spare-networks.json');

/** The networks `file` lists; none when there is no file. */
function listedIn(file: string): DynoNetworkName[] {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DynoNetworkName[];
  } catch {
    return []; // No file: no server made spares there.
  }
}

/**
 * Removes networks a server that is gone (killed, so it did not close its pool)
 * left listed. One with a process in it is left alone: listed before it was
 * created, it may be the namespace another server claimed first.
 */
async function removeLeft(left: readonly DynoNetworkName[], logger: Logger): Promise<void> {
  for (const net of left) {
    const removed = (await networkInUse(net)) ? Promise.resolve() : removeDynoNetwork(net);
    await removed.catch((e: unknown) => logger.warn('removing a spare dyno network failed', { netns: net.netns, error: errorMessage(e) }));
  }
  if (left.length) logger.info('removed the spare dyno networks a previous server left', { count: left.length });
}

/** Removes what a killed server on this home left listed in `file` (when no server follows it there). */
export const removeListedSpares = (file: string, logger: Logger): Promise<void> => removeLeft(listedIn(file), logger);

export function createNetworkPool(addresses: AddressPool, o: NetworkPoolOptions): NetworkPool {
  const quietMs = o.quietMs ?? 3000;
  const spares: DynoNetwork[] = [];
  let nextSlot = Math.floor(Math.random() * addresses.size);
  let lastTake = 0;
  let timer: NodeJS.Timeout | undefined;
  let filling: Promise<void> | null = null;
  let closed = false;

  /** What `file` lists: what a previous server left until `recover` removed it, then this server's spares, networks being wired, and taken ones not handed over yet. */
  let left = listedIn(o.file);
  const held = new Map<string, DynoNetworkName>();
  const save = () => {
    writeFileSync(`${o.file}.tmp`, JSON.stringify([...left, ...held.values()]) + '\n', { mode: 0o600 });
    renameSync(`${o.file}.tmp`, o.file);
  };
  const list: NetworkList = {
    add({ netns, hostInterface }) {
      held.set(netns, { netns, hostInterface });
      save();
    },
    remove(net) {
      if (held.delete(net.netns)) save();
    },
  };
  const wire = () => createDynoNetwork(addresses, nextSlot++ % addresses.size, list);
  const discard = async (net: DynoNetwork) => {
    await removeDynoNetwork(net);
    list.remove(net);
  };

  let recovered: Promise<void> | null = null;
  const recover = () =>
    (recovered ??= (async () => {
      if (!left.length) return;
      await removeLeft(left, o.logger);
      left = [];
      save();
    })());

  const fill = async () => {
    await recover();
    while (!closed && spares.length < o.size && Date.now() - lastTake >= quietMs) {
      const net = await wire();
      if (closed) return void (await discard(net));
      spares.push(net);
    }
  };
  const fillWhenQuiet = () => {
    clearTimeout(timer);
    if (closed || o.size === 0) return;
    timer = setTimeout(() => {
      filling ??= fill()
        .catch((e: unknown) => o.logger.warn('wiring a spare dyno network failed', { error: errorMessage(e) }))
        .finally(() => {
          filling = null;
          // Launches came while it filled: it stopped for them, and goes on once they pause.
          if (spares.length < o.size && Date.now() - lastTake < quietMs) fillWhenQuiet();
        });
    }, quietMs);
    timer.unref();
  };

  return {
    async take() {
      lastTake = Date.now();
      fillWhenQuiet();
      return spares.shift() ?? wire();
    },
    handedOver: (net) => list.remove(net),
    recover,
    async close() {
      closed = true;
      clearTimeout(timer);
      await filling;
      await recover();
      // Listed until removed: a server killed meanwhile leaves the rest to the next one.
      for (let net = spares[0]; net; net = spares[0]) {
        await discard(net).catch((e: unknown) => o.logger.warn('removing a spare dyno network failed', { netns: net?.netns, error: errorMessage(e) }));
        spares.shift();
      }
    },
  };
}
