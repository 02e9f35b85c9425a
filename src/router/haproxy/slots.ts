import type { Backend } from '../../domain/index.js';
import type { AppRoute } from '../data-plane.js';
import { FILES, serverName, slotName, type SlotState } from './config.js';

/** The hosts.map value for an app that got no backend slot; apps.map answers it with H10. */
export const NO_SLOT = 'no_slot';

/** One pre-allocated server of a slot; keeps the last dyno it served so late log lines and drains still resolve. */
interface Seat {
  dynoId: string | null;
  dynoName: string | null;
  live: boolean;
  host: string;
  port: number;
  /** Order in which seats were freed: the longest-free seat is reused first, so in-flight requests finish on it. */
  freedAt: number;
}

interface Slot {
  appId: string | null;
  /** The app that used the slot last, for log lines that arrive after it was freed. */
  lastAppId: string | null;
  state: SlotState;
  seats: Seat[];
}

const stateOf = (r: AppRoute): SlotState => (r.maintenance ? 'H80' : r.backends.length ? 'up' : r.webWanted ? 'H10' : 'H14');

const putCommands = (be: string, srv: string, b: Pick<Backend, 'host' | 'port'>) =>
  [`set server ${be}/${srv} addr ${b.host} port ${b.port}`, `set server ${be}/${srv} state ready`];

/**
 * Which HAProxy backend (`app_N`) serves which app, and which of its
 * `server-template` seats (`dynoK`) points at which dyno. Pure bookkeeping:
 * every change returns the Runtime API commands that make HAProxy match.
 * A fixed pool keeps the config unchanged for the life of the process, so
 * apps and dynos never need a reload.
 */
export function createSlotTable(appSlots: number, dynoSlots: number) {
  const slots: Slot[] = Array.from({ length: appSlots }, () => ({
    appId: null, lastAppId: null, state: 'H14' as SlotState,
    seats: Array.from({ length: dynoSlots }, () => ({ dynoId: null, dynoName: null, live: false, host: '127.0.0.1', port: 1, freedAt: 0 })),
  }));
  const byApp = new Map<string, number>();
  let clock = 0;

  const seatCommands = (i: number, seat: Seat, k: number): string[] =>
    seat.live ? putCommands(slotName(i), serverName(k), seat) : [];

  return {
    /** The backend name for an app, claiming a free slot; null when the pool is exhausted. */
    claim(appId: string): string | null {
      const have = byApp.get(appId);
      if (have !== undefined) return slotName(have);
      const free = slots.findIndex((s) => s.appId === null);
      if (free < 0) return null;
      const slot = slots[free] as Slot;
      slot.appId = appId;
      slot.lastAppId = appId;
      byApp.set(appId, free);
      return slotName(free);
    },

    /**
     * Points the app's seats at `route.backends` and sets its state; returns the commands, and how many dynos did not fit.
     * New dynos are made ready before old ones go to maintenance: HAProxy may route a request between two commands
     * of one line, and a switch-over that emptied the backend first would answer it 503.
     */
    route(route: AppRoute): { commands: string[]; overflow: number } {
      const i = byApp.get(route.appId);
      if (i === undefined) return { commands: [], overflow: 0 };
      const slot = slots[i] as Slot;
      const be = slotName(i);
      const commands: string[] = [];
      const place = (b: Backend): boolean => {
        const k = slot.seats.findIndex((s) => s.live && s.dynoId === b.dynoId);
        const seat = k >= 0 ? (slot.seats[k] as Seat) : undefined;
        if (seat && seat.host === b.host && seat.port === b.port) return true;
        const target = k >= 0 ? k : freeSeat(slot);
        if (target < 0) return false;
        Object.assign(slot.seats[target] as Seat, { dynoId: b.dynoId, dynoName: b.dynoName, live: true, host: b.host, port: b.port });
        commands.push(...putCommands(be, serverName(target), b));
        return true;
      };
      // Only when every seat is taken does a new dyno wait for an old one's seat.
      const waiting = route.backends.filter((b) => !place(b));
      const wanted = new Set(route.backends.map((b) => b.dynoId));
      slot.seats.forEach((seat, k) => {
        if (!seat.live || wanted.has(seat.dynoId as string)) return;
        seat.live = false;
        seat.freedAt = ++clock;
        commands.push(`set server ${be}/${serverName(k)} state maint`);
      });
      const overflow = waiting.filter((b) => !place(b)).length;
      const state = stateOf(route);
      if (state !== slot.state) commands.push(`set map ${FILES.apps} ${be} ${state}`);
      slot.state = state;
      return { commands, overflow };
    },

    /** Frees the app's slot: every seat to maintenance, requests answered H14 until it is reused. */
    release(appId: string): string[] {
      const i = byApp.get(appId);
      if (i === undefined) return [];
      byApp.delete(appId);
      const slot = slots[i] as Slot;
      slot.appId = null;
      slot.state = 'H14';
      const commands = slot.seats.flatMap((seat, k) => {
        if (!seat.live) return [];
        seat.live = false;
        seat.freedAt = ++clock;
        return [`set server ${slotName(i)}/${serverName(k)} state maint`];
      });
      return [...commands, `set map ${FILES.apps} ${slotName(i)} H14`];
    },

    /** The seat a dyno is (or was last) on, for drains. */
    seatOf(dynoId: string): { backend: string; server: string; live: boolean } | undefined {
      for (let i = 0; i < slots.length; i++) {
        const k = (slots[i] as Slot).seats.findIndex((s) => s.dynoId === dynoId);
        if (k >= 0) return { backend: slotName(i), server: serverName(k), live: ((slots[i] as Slot).seats[k] as Seat).live };
      }
      return undefined;
    },

    /** App id and dyno name for a log line's backend and server names. */
    resolve(backend: string, server: string): { appId: string | null; dynoName: string | null } {
      // Called for every log line: names are `app_N` and `dynoK` (or HAProxy's `<NOSRV>`), read without a regex.
      const slot = backend.startsWith('app_') ? slots[Number(backend.slice(4))] : undefined;
      const seat = server.startsWith('dyno') ? slot?.seats[Number(server.slice(4)) - 1] : undefined;
      return { appId: slot?.lastAppId ?? null, dynoName: seat?.dynoName ?? null };
    },

    /** The whole table, for the next server to restore when it adopts the running HAProxy. */
    snapshot: (): SlotSnapshot => ({ slots, clock }),

    /** Takes over the table a previous server saved (see `snapshot`); a table of another shape is refused. */
    restore(saved: SlotSnapshot): boolean {
      if (saved.slots.length !== slots.length || saved.slots.some((s) => s.seats.length !== dynoSlots)) return false;
      slots.splice(0, slots.length, ...saved.slots);
      clock = saved.clock;
      byApp.clear();
      slots.forEach((s, i) => s.appId !== null && byApp.set(s.appId, i));
      return true;
    },

    /** Whether the app's slot still has seats pointing at dynos (an adopted HAProxy keeps serving them). */
    serving: (appId: string): boolean => {
      const i = byApp.get(appId);
      return i !== undefined && (slots[i] as Slot).seats.some((s) => s.live);
    },

    /** Every slot's state and seats restated (idempotent): what an adopted HAProxy is told in case it missed a change. */
    restate(): string[] {
      return slots.flatMap((slot, i) => [
        ...slot.seats.flatMap((seat, k) =>
          seat.live ? seatCommands(i, seat, k) : seat.dynoId === null ? [] : [`set server ${slotName(i)}/${serverName(k)} state maint`]),
        `set map ${FILES.apps} ${slotName(i)} ${slot.state}`,
      ]);
    },

    /** Commands that bring a freshly started HAProxy (config defaults) to the current state. */
    replay(): string[] {
      return slots.flatMap((slot, i) => [
        ...slot.seats.flatMap((seat, k) => seatCommands(i, seat, k)),
        ...(slot.state === 'H14' ? [] : [`set map ${FILES.apps} ${slotName(i)} ${slot.state}`]),
      ]);
    },
  };
}

/** A seat no dyno uses: never-used first, then the one freed longest ago. */
function freeSeat(slot: Slot): number {
  let best = -1;
  slot.seats.forEach((s, k) => {
    if (!s.live && (best < 0 || s.freedAt < (slot.seats[best] as Seat).freedAt)) best = k;
  });
  return best;
}

export type SlotTable = ReturnType<typeof createSlotTable>;

/** The table as saved next to the pid file (plain JSON). */
export interface SlotSnapshot {
  slots: Slot[];
  clock: number;
}
