import { CliError } from './errors.js';

/**
 * Refuses an API path before anything is sent when one of its segments is
 * empty, `.` or `..` (in any %-spelling): `fetch` would resolve
 * `/apps/APP/domains/..` to `/apps/APP` and so address a different resource
 * (the app itself) than the argument named.
 */
export function checkApiPath(path: string): void {
  const rawPath = path.split(/[?#]/)[0] ?? '';
  for (const raw of rawPath.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw new CliError(`"${raw}" is not a valid name.`, 'Names cannot contain malformed %-escapes.');
    }
    if (segment === '' || segment === '.' || segment === '..') {
      throw new CliError(`"${segment}" is not a valid name.`, 'Names cannot be empty, "." or "..".');
    }
  }
}
