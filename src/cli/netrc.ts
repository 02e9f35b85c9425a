import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface NetrcEntry {
  machine: string;
  login: string;
  password: string;
}

/** Parses the machine entries of a .netrc file (the subset git and curl use). */
export function parseNetrc(text: string): NetrcEntry[] {
  const tokens = text.split(/\s+/).filter(Boolean);
  const entries: NetrcEntry[] = [];
  let cur: NetrcEntry | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === 'machine') {
      cur = { machine: tokens[++i] ?? '', login: '', password: '' };
      entries.push(cur);
    } else if (t === 'default') {
      cur = null;
    } else if (cur && (t === 'login' || t === 'password')) {
      cur[t] = tokens[++i] ?? '';
    }
  }
  return entries;
}

export function readNetrcEntry(path: string, machine: string): NetrcEntry | undefined {
  if (!existsSync(path)) return undefined;
  return parseNetrc(readFileSync(path, 'utf8')).find((e) => e.machine === machine);
}

/** Removes the lines of one machine's entry, keeping everything else as it was. */
function withoutMachine(text: string, machine: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of text.split('\n')) {
    const first = line.trim().split(/\s+/);
    if (first[0] === 'machine' || first[0] === 'default') skipping = first[0] === 'machine' && first[1] === machine;
    if (!skipping) out.push(line);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

export function writeNetrcEntry(path: string, entry: NetrcEntry): void {
  const before = existsSync(path) ? withoutMachine(readFileSync(path, 'utf8'), entry.machine).trimEnd() : '';
  const block = `machine ${entry.machine}\n  login ${entry.login}\n  password ${entry.password}\n`;
  writeFileSync(path, (before ? before + '\n' : '') + block, { mode: 0o600 });
}

export function removeNetrcEntry(path: string, machine: string): boolean {
  if (!existsSync(path)) return false;
  const text = readFileSync(path, 'utf8');
  const next = withoutMachine(text, machine);
  if (next === text) return false;
  writeFileSync(path, next.trimEnd() + (next.trim() ? '\n' : ''), { mode: 0o600 });
  return true;
}
