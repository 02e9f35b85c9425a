import { PROCESS_TYPE, type ProcessTypes } from '../../domain/index.js';
import { manifestError } from './errors.js';

const LINE = /^([^:\s][^:]*?)\s*:\s*(.*)$/;

/**
 * Parses a Procfile: `<process type>: <command>` per line; blank lines and
 * `#` comments are skipped; a repeated type keeps its last command.
 */
export function parseProcfile(text: string): ProcessTypes {
  const types: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m) throw manifestError('Procfile', i + 1, `expected "<process type>: <command>", e.g. "web: npm start", got "${line}"`);
    const [, type, command] = m as unknown as [string, string, string];
    if (!PROCESS_TYPE.test(type)) {
      throw manifestError('Procfile', i + 1, `process type "${type}" may contain only letters, digits, "_" and "-"`);
    }
    if (!command) throw manifestError('Procfile', i + 1, `expected a command after "${type}:"`);
    types[type] = command;
  });
  return types;
}
