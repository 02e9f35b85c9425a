import { writeFileSync } from 'node:fs';
import type { TlsCertificate } from '../certificates.js';

/** A hostname that is safe as one token of a Runtime API command or crt-list filter. */
const SAFE_HOST = /^[a-z0-9_.-]+$/;

/** Chain then key, without empty lines: a Runtime API payload ends at the first empty line. */
const payload = (c: TlsCertificate) => `${c.chainPem}\n${c.keyPem}`.split('\n').filter((l) => l.trim()).join('\n');

interface Applied {
  payload: string;
  filters: string;
}

/**
 * Keeps HAProxy's certificates equal to the router's table without a reload.
 * The platform certificate is a file (the crt-list needs one entry to start
 * with) and is replaced in place; apps' certificates live only in HAProxy's
 * memory, added through the Runtime API (`new/set/commit ssl cert`, `add ssl
 * crt-list` with their hostnames as SNI filters), so their keys never touch
 * the disk. Each command is its own line: payloads cannot share one.
 */
export function createCertificateSync(paths: { platformCert: string; crtList: string; virtualDir: string }) {
  let table: readonly TlsCertificate[] = [];
  const applied = new Map<string, Applied>();
  /** App certificates get names of files that are never written (ids are UUIDs, so safe tokens). */
  const nameOf = (id: string) => `${paths.virtualDir}/${id}.pem`;

  return {
    /** Writes the platform certificate and a crt-list naming it; before HAProxy starts. */
    writeFiles(): void {
      const platform = table[0];
      if (!platform) throw new Error('router: HTTPS is on but no platform certificate was pushed');
      writeFileSync(paths.platformCert, payload(platform) + '\n', { mode: 0o600 });
      writeFileSync(paths.crtList, `${paths.platformCert}\n`, { mode: 0o600 });
    },
    /** A started HAProxy knows only the files: everything else is replayed. */
    reset(): void {
      applied.clear();
      const platform = table[0];
      if (platform) applied.set('platform', { payload: payload(platform), filters: '' });
    },
    /** An adopted HAProxy already holds some app certificates (`show ssl cert` lines): they are replaced, or deleted when no longer wanted. */
    present(files: readonly string[]): void {
      for (const f of files) {
        const id = f.trim().startsWith(`${paths.virtualDir}/`) ? f.trim().slice(paths.virtualDir.length + 1).replace(/\.pem$/, '') : '';
        if (id) applied.set(id, { payload: '', filters: '\0' });
      }
    },
    set(next: readonly TlsCertificate[]): void {
      table = next;
    },
    /** The command lines that bring HAProxy from what it has to the table, in order. */
    commands(): string[] {
      const lines: string[] = [];
      const [platform, ...apps] = table;
      if (platform && applied.get('platform')?.payload !== payload(platform)) {
        lines.push(`set ssl cert ${paths.platformCert} <<\n${payload(platform)}\n`, `commit ssl cert ${paths.platformCert}`);
        applied.set('platform', { payload: payload(platform), filters: '' });
        // A restarted HAProxy reads the file: keep it current.
        writeFileSync(paths.platformCert, payload(platform) + '\n', { mode: 0o600 });
      }
      const wanted = new Map(apps.map((c) => [c.id, c]));
      for (const [id] of applied) {
        if (id === 'platform' || wanted.has(id)) continue;
        const file = nameOf(id);
        lines.push(`del ssl crt-list ${paths.crtList} ${file}`, `del ssl cert ${file}`);
        applied.delete(id);
      }
      for (const c of apps) {
        const filters = c.names.filter((n) => SAFE_HOST.test(n)).join(' ');
        const now = applied.get(c.id);
        const file = nameOf(c.id);
        if (!now) lines.push(`new ssl cert ${file}`);
        if (now?.payload !== payload(c)) lines.push(`set ssl cert ${file} <<\n${payload(c)}\n`, `commit ssl cert ${file}`);
        if (now && now.filters !== filters) lines.push(`del ssl crt-list ${paths.crtList} ${file}`);
        if (now?.filters !== filters) lines.push(`add ssl crt-list ${paths.crtList} <<\n${file} ${filters}\n`);
        applied.set(c.id, { payload: payload(c), filters });
      }
      return lines;
    },
  };
}

/** Whether HAProxy accepted an SSL command (its answers are prose, with progress dots). */
export const sslCommandFine = (answer: string): boolean =>
  /Success!|New empty certificate store|Transaction created|deleted/i.test(answer) && !/error|can't|cannot|not found|unable/i.test(answer);
