import { compareText } from '../../shared/compare.js';
import { PlatformError } from '../../shared/errors.js';
import type { JsonResponse } from './types.js';

/** Sortable fields of a list, each mapped to the value it sorts by. */
export type RangeFields<T> = Readonly<Record<string, (item: T) => string | number>>;

interface ParsedRange {
  field: string;
  start: string | null;
  exclusive: boolean;
  end: string | null;
  max: number;
  order: 'asc' | 'desc';
}

const DEFAULT_MAX = 200;
const LIMIT_MAX = 1000;

const badRange = (why: string) =>
  new PlatformError('requested_range_not_satisfiable', `Invalid Range header: ${why}.`);

function decodeBound(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRange(`"${raw}" has a malformed %-escape`);
  }
}

/** Parses Heroku's `Range: name ]foo..; order=desc, max=10` syntax. */
export function parseRange(header: string | undefined, fields: readonly string[], defaultField: string): ParsedRange {
  const parsed: ParsedRange = { field: defaultField, start: null, exclusive: false, end: null, max: DEFAULT_MAX, order: 'asc' };
  if (!header?.trim()) return parsed;
  const [spec = '', ...optionParts] = header.split(';');
  const m = /^\s*([a-z_]+)\s*(.*?)\s*$/.exec(spec);
  if (!m) throw badRange(`expected "FIELD [START]..[END]; max=N, order=asc|desc", got "${header}"`);
  const field = m[1] as string;
  if (!fields.includes(field)) throw badRange(`"${field}" is not sortable here; use one of ${fields.join(', ')}`);
  parsed.field = field;
  const bounds = m[2] as string;
  if (bounds) {
    const dots = bounds.indexOf('..');
    if (dots < 0) throw badRange(`expected START..END after "${field}"`);
    let start = bounds.slice(0, dots);
    if (start.startsWith(']')) {
      parsed.exclusive = true;
      start = start.slice(1);
    }
    parsed.start = start ? decodeBound(start) : null;
    const end = bounds.slice(dots + 2);
    parsed.end = end ? decodeBound(end) : null;
  }
  for (const opt of optionParts.join(',').split(',')) {
    const [k, v] = opt.split('=').map((s) => s.trim());
    if (!k) continue;
    if (k === 'max') {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > LIMIT_MAX) throw badRange(`max must be 1 to ${LIMIT_MAX}`);
      parsed.max = n;
    } else if (k === 'order') {
      if (v !== 'asc' && v !== 'desc') throw badRange('order must be asc or desc');
      parsed.order = v;
    } else {
      throw badRange(`unknown option "${k}"`);
    }
  }
  return parsed;
}

function compare(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : compareText(String(a), String(b));
}

const coerce = (sample: string | number, raw: string): string | number =>
  typeof sample === 'number' ? Number(raw) : raw;

/**
 * One page of a list as a JSON response: 200 for the whole rest of the list,
 * 206 with `Next-Range` when more remain.
 */
export function paginate<T>(
  items: readonly T[],
  header: string | undefined,
  fields: RangeFields<T>,
  defaultField: string,
  serialize: (item: T) => unknown,
): JsonResponse {
  const r = parseRange(header, Object.keys(fields), defaultField);
  const key = fields[r.field] as (item: T) => string | number;
  const dir = r.order === 'asc' ? 1 : -1;
  let sorted = [...items].sort((a, b) => dir * compare(key(a), key(b)));
  if (r.start !== null && sorted.length) {
    const start = coerce(key(sorted[0] as T), r.start);
    sorted = sorted.filter((i) => {
      const c = dir * compare(key(i), start);
      return r.exclusive ? c > 0 : c >= 0;
    });
  }
  if (r.end !== null && sorted.length) {
    const end = coerce(key(sorted[0] as T), r.end);
    sorted = sorted.filter((i) => dir * compare(key(i), end) <= 0);
  }
  const page = sorted.slice(0, r.max);
  const headers: Record<string, string> = { 'Accept-Ranges': Object.keys(fields).join(', ') };
  if (page.length) {
    headers['Content-Range'] = `${r.field} ${key(page[0] as T)}..${key(page[page.length - 1] as T)}`;
  }
  const more = sorted.length > page.length;
  if (more) {
    const last = encodeURIComponent(String(key(page[page.length - 1] as T)));
    headers['Next-Range'] = `${r.field} ]${last}..; max=${r.max}, order=${r.order}`;
  }
  return { status: more ? 206 : 200, body: page.map(serialize), headers };
}
