import type { Route } from './types.js';

interface Compiled {
  route: Route;
  method: string;
  regex: RegExp;
  keys: string[];
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

/**
 * Compiles `/apps/:app/releases/:release` style patterns. A parameter may be
 * followed by a literal suffix in the same segment (`/:app.git/info/refs`).
 */
function compile(route: Route): Compiled {
  const keys: string[] = [];
  const source = route.path
    .split('/')
    .map((seg) => {
      const m = /^:([A-Za-z_]+)(.*)$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      keys.push(m[1] as string);
      return '([^/]+?)' + (m[2] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { route, method: route.method, regex: new RegExp(`^${source}/?$`), keys };
}

export function createRouteTable(routes: readonly Route[]) {
  const compiled = routes.map(compile);
  return {
    /** The route for a method and path; `allowed` lists methods when only the path matched. */
    match(method: string, path: string): { match?: Match; allowed: string[] } {
      const allowed: string[] = [];
      const lookup = method === 'HEAD' ? 'GET' : method;
      for (const c of compiled) {
        const m = c.regex.exec(path);
        if (!m) continue;
        if (c.method !== lookup) {
          allowed.push(c.method);
          continue;
        }
        const params: Record<string, string> = {};
        c.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] as string)));
        return { match: { route: c.route, params }, allowed };
      }
      return { allowed };
    },
  };
}
