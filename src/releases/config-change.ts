import { CONFIG_MAX_BYTES, CONFIG_VAR_KEY, CONFIG_VAR_KEY_RULE, configSize, type ConfigVars } from '../domain/index.js';
import { invalid, PlatformError } from '../shared/errors.js';

export type ConfigChanges = Readonly<Record<string, string | null>>;

export interface AppliedChanges {
  next: ConfigVars;
  set: string[];
  removed: string[];
}

/**
 * Applies `{KEY: value | null}` to a config: null removes a key. Validates
 * names and the total size before anything is stored.
 */
export function applyConfigChanges(current: ConfigVars, changes: ConfigChanges): AppliedChanges {
  const next: Record<string, string> = { ...current };
  const set: string[] = [];
  const removed: string[] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (!CONFIG_VAR_KEY.test(key) || key === '__proto__') throw invalid(`Invalid config var name "${key}". ${CONFIG_VAR_KEY_RULE}`);
    // A NUL cannot be passed in a process environment: the next release would fail to start.
    if (value?.includes('\0')) throw invalid(`The value of ${key} contains a NUL character, which no environment can hold.`);
    if (value === null) {
      if (key in next) {
        delete next[key];
        removed.push(key);
      }
    } else if (next[key] !== value) {
      next[key] = value;
      set.push(key);
    }
  }
  const size = configSize(next);
  if (size > CONFIG_MAX_BYTES) {
    throw new PlatformError(
      'payload_too_large',
      `Config vars would total ${size} bytes; the limit is ${CONFIG_MAX_BYTES} bytes per app. ` +
        'Store large values elsewhere (a file in the slug, or an add-on) and keep a URL in the config.',
    );
  }
  return { next, set, removed };
}

/** Heroku-style release description: "Set FOO, BAR config vars; Remove BAZ config vars". */
export function describeConfigChange(set: readonly string[], removed: readonly string[]): string {
  const parts: string[] = [];
  if (set.length) parts.push(`Set ${set.join(', ')} config vars`);
  if (removed.length) parts.push(`Remove ${removed.join(', ')} config vars`);
  return parts.join('; ');
}
