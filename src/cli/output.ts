/** Everything the CLI prints goes through here, so tests and --json stay consistent. */
export interface Output {
  line(text?: string): void;
  /** A `=== title` header, as the Heroku CLI prints. */
  section(title: string): void;
  json(value: unknown): void;
  /** Aligned columns with a header row. */
  table(rows: readonly Record<string, unknown>[], columns: readonly string[]): void;
  /** `key: value` lines with aligned values. */
  pairs(pairs: readonly [string, unknown][]): void;
  warn(text: string): void;
}

const cell = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export function createOutput(
  write: (s: string) => void = (s) => process.stdout.write(s),
  writeErr: (s: string) => void = (s) => process.stderr.write(s),
): Output {
  return {
    line: (text = '') => write(text + '\n'),
    section: (title) => write(`=== ${title}\n`),
    json: (value) => write(JSON.stringify(value, null, 2) + '\n'),
    table(rows, columns) {
      const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
      const fmt = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i] as number)).join('  ').trimEnd();
      write(fmt(columns.map((c) => c.toUpperCase())) + '\n');
      write(fmt(widths.map((w) => '─'.repeat(w))) + '\n');
      for (const r of rows) write(fmt(columns.map((c) => cell(r[c]))) + '\n');
    },
    pairs(pairs) {
      const w = Math.max(0, ...pairs.map(([k]) => k.length)) + 1;
      for (const [k, v] of pairs) write(`${(k + ':').padEnd(w)} ${cell(v)}\n`);
    },
    warn: (text) => writeErr(` ›   Warning: ${text}\n`),
  };
}
