import { PlatformError } from '../../shared/errors.js';
import type { Route } from './types.js';

/** One segment of a pattern: a literal, or a parameter with an optional literal suffix (`:app.git`). */
type Segment = { literal: string } | { key: string; suffix: string };

interface Compiled {
  route: Route;
  segments: Segment[];
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

/** A path's segments; the root `/` has none (every other empty segment is refused). */
const segmentsOf = (path: string): string[] => (path === '/' ? [] : path.split('/').slice(1));

function compile(route: Route): Compiled {
  const segments = segmentsOf(route.path)
    .map((seg): Segment => {
      const m = /^:([A-Za-z_]+)(.*)$/.exec(seg);
      return m ? { key: m[1] as string, suffix: m[2] ?? '' } : { literal: seg };
    });
  return { route, segments };
}

/** `%ZZ` and other broken escapes are the client's mistake, never a 500. */
function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new PlatformError('bad_request', `The path segment "${raw}" has a malformed %-escape.`);
  }
}

/**
 * The raw path's segments, decoded. The path is never normalised: a `.` or
 * `..` segment, in any spelling (`%2e%2e`), is refused outright, so no request
 * can name a resource above the one it appears to address.
 */
function splitPath(rawPath: string): { raw: string[]; decoded: string[] } {
  const raw = segmentsOf(rawPath);
  const decoded = raw.map(decodeSegment);
  for (const d of decoded) {
    if (d === '.' || d === '..') throw new PlatformError('bad_request', 'Paths may not contain "." or ".." segments.');
  }
  return { raw, decoded };
}

/** The params of `c` for the path, or null when it does not match segment for segment. */
function matchSegments(c: Compiled, raw: readonly string[], decoded: readonly string[]): Record<string, string> | null {
  if (c.segments.length !== raw.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < raw.length; i++) {
    const seg = c.segments[i] as Segment;
    const r = raw[i] as string;
    if ('literal' in seg) {
      if (r !== seg.literal) return null;
      continue;
    }
    if (!r.endsWith(seg.suffix) || r.length === seg.suffix.length) return null;
    params[seg.key] = seg.suffix ? decodeSegment(r.slice(0, r.length - seg.suffix.length)) : (decoded[i] as string);
  }
  return params;
}

/**
 * Routes `/apps/:app/releases/:release` style patterns against the raw
 * request path, segment for segment: no dot-segment resolution, no empty
 * segments, no trailing-slash aliases.
 */
export function createRouteTable(routes: readonly Route[]) {
  const compiled = routes.map(compile);
  return {
    /** The route for a method and raw path; `allowed` lists methods when only the path matched. */
    match(method: string, rawPath: string): { match?: Match; allowed: string[] } {
      const allowed: string[] = [];
      const { raw, decoded } = splitPath(rawPath);
      if (raw.some((s) => s === '')) return { allowed };
      const lookup = method === 'HEAD' ? 'GET' : method;
      for (const c of compiled) {
        const params = matchSegments(c, raw, decoded);
        if (!params) continue;
        if (c.route.method !== lookup) {
          allowed.push(c.route.method);
          continue;
        }
        return { match: { route: c.route, params }, allowed };
      }
      return { allowed };
    },
  };
}

/** The path of a request target, undecoded and unnormalised (origin-form or absolute-form). */
export function rawPathOf(target: string): { path: string; query: string } {
  const withoutOrigin = target.startsWith('/') ? target : target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const q = withoutOrigin.search(/[?#]/);
  const path = q < 0 ? withoutOrigin : withoutOrigin.slice(0, q);
  const query = q >= 0 && withoutOrigin[q] === '?' ? withoutOrigin.slice(q + 1).split('#')[0] ?? '' : '';
  if (!path.startsWith('/')) throw new PlatformError('bad_request', 'The request target must be a path starting with "/".');
  return { path, query };
}
