import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../shared/logger.js';
import { errorMessage } from '../../../shared/errors.js';
import type { AddressPool } from './address-pool.js';
import { createDynoNetwork, removeDynoNetwork, type DynoNetwork } from './network.js';

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
 * The spares are listed in `file`, so a server started after one that was
 * killed removes what that one left (networks in use are recorded per dyno
 * instead, see records.ts). A network is never handed out twice and never
 * reused after a dyno: the namespace goes with the dyno, as before.
 */
export interface NetworkPool {
  take(): Promise<DynoNetwork>;
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

type Spare = Pick<DynoNetwork, 'netns' | 'hostInterface'>;

/** Where a server on `home` lists its spares. */
export const spareNetworksFile = (home: string): string => join(home, 'spare-networks.json');

/** Removes the spares listed in `file` by a server that is gone (killed, so it did not close its pool). */
export async function removeListedSpares(file: string, logger: Logger): Promise<void> {
  let left: Spare[];
  try {
    left = JSON.parse(readFileSync(file, 'utf8')) as Spare[];
  } catch {
    return; // No file: no server made spares there.
  }
  for (const net of left) await removeDynoNetwork(net).catch((e: unknown) => logger.warn('removing a spare dyno network failed', { netns: net.netns, error: errorMessage(e) }));
  if (left.length) logger.info('removed the spare dyno networks a previous server left', { count: left.length });
}

export function createNetworkPool(addresses: AddressPool, o: NetworkPoolOptions): NetworkPool {
  const quietMs = o.quietMs ?? 3000;
  const spares: DynoNetwork[] = [];
  let nextSlot = Math.floor(Math.random() * addresses.size);
  let lastTake = 0;
  let timer: NodeJS.Timeout | undefined;
  let filling: Promise<void> | null = null;
  let closed = false;

  const save = () => {
    const list: Spare[] = spares.map(({ netns, hostInterface }) => ({ netns, hostInterface }));
    writeFileSync(`${o.file}.tmp`, JSON.stringify(list) + '\n', { mode: 0o600 });
    renameSync(`${o.file}.tmp`, o.file);
  };
  const wire = () => createDynoNetwork(addresses, nextSlot++ % addresses.size);

  /** Read once, before this server lists any spare of its own in the same file. */
  let recovered: Promise<void> | null = null;
  const recover = () =>
    (recovered ??= (async () => {
      if (!existsSync(o.file)) return; // No previous server, or it left no spare.
      await removeListedSpares(o.file, o.logger);
      save();
    })());

  const fill = async () => {
    await recover();
    while (!closed && spares.length < o.size && Date.now() - lastTake >= quietMs) {
      const net = await wire();
      if (closed) return void (await removeDynoNetwork(net));
      spares.push(net);
      save();
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
      const spare = spares.shift();
      if (!spare) return wire();
      save();
      return spare;
    },
    recover,
    async close() {
      closed = true;
      clearTimeout(timer);
      await filling;
      await recover();
      // Listed until removed: a server killed meanwhile leaves the rest to the next one.
      for (let net = spares[0]; net; net = spares[0]) {
        await removeDynoNetwork(net).catch((e: unknown) => o.logger.warn('removing a spare dyno network failed', { netns: net?.netns, error: errorMessage(e) }));
        spares.shift();
        save();
      }
    },
  };
}
