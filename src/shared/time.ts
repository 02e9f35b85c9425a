/**
 * `Date.prototype.toISOString` without its side effect. V8 (Node 20) looks up
 * the host's time zone and its display name on every `toISOString`, though
 * the ISO form is UTC; the first lookup maps ~0.9 MB of ICU's time-zone data
 * into the process for good (issue 17: the server's idle memory). The UTC
 * getters need no time zone.
 */
export function isoTime(t: Date | number = Date.now()): string {
  const d = typeof t === 'number' ? new Date(t) : t;
  const year = d.getUTCFullYear();
  // An invalid date throws as toISOString does; years outside 0-9999 take its extended form.
  if (!(year >= 0 && year <= 9999)) return d.toISOString();
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:` +
    `${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}Z`;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
let dateSecond = Number.NaN;
let dateValue = '';

/**
 * An HTTP `Date` header value (IMF-fixdate), made once per second. Node's own
 * (its http module's `utcDate`) calls `toUTCString` and the local
 * `getMilliseconds`, which look up the time zone as `toISOString` does; a
 * response that carries a Date header already is spared that call.
 */
export function httpDate(now: number = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    const d = new Date(second * 1000);
    dateValue = `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate(), 2)} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCFullYear(), 4)} ` +
      `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)} GMT`;
    dateSecond = second;
  }
  return dateValue;
}
