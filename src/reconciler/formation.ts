import type { Formation, ProcessTypes } from '../domain/index.js';
import { stableId } from '../shared/ids.js';
import { DEFAULT_DYNO_SIZE } from '../config/index.js';
import { compareText } from '../shared/compare.js';

export { DEFAULT_DYNO_SIZE };

/** Heroku's quantity for a process type never scaled: one web dyno, none of the others. */
export const defaultQuantity = (type: string): number => (type === 'web' ? 1 : 0);

/** A formation entry of a process type the current slug declares. */
export interface FormationEntry extends Formation {
  command: string;
}

/**
 * The formation of each process type in the slug: stored rows, or Heroku's
 * defaults (web=1, every other type 0) for types never scaled. Rows of types
 * the slug no longer declares are kept in the store but not run.
 */
export function formationFor(appId: string, processTypes: ProcessTypes, rows: readonly Formation[], createdAt: string): FormationEntry[] {
  return Object.entries(processTypes)
    .filter(([type]) => type !== 'release')
    .sort(([a], [b]) => compareText(a, b))
    .map(([type, command]) => {
      const row = rows.find((r) => r.type === type);
      if (row) return { ...row, command };
      // A type never scaled has no stored row; its id derives from the app and the type.
      return {
        id: stableId(`${appId}/${type}`), appId, type, command, quantity: defaultQuantity(type), size: DEFAULT_DYNO_SIZE,
        createdAt, updatedAt: createdAt,
      };
    });
}
