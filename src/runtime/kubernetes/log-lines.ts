/** Longest message of one log line, as the log bus splits them (Heroku's 10000 bytes, counted in characters here). */
const MAX_LINE = 10_000;

/**
 * Splits a chunk of a pod's output into whole lines. Pure: the text after the
 * last newline comes back as `pending` and is prepended to the next chunk; a
 * `\r` before the newline (CRLF output) is dropped; a line longer than the
 * log bus takes is cut into pieces so one endless line cannot grow `pending`
 * without bound.
 */
export function splitLogChunk(pending: string, chunk: string): { lines: string[]; pending: string } {
  const parts = (pending + chunk).split('\n');
  let rest = parts.pop() ?? '';
  const lines = parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  while (rest.length > MAX_LINE) {
    lines.push(rest.slice(0, MAX_LINE));
    rest = rest.slice(MAX_LINE);
  }
  return { lines, pending: rest };
}
