/**
 * Compose's variable substitution (`$NAME`, `${NAME}`, `${NAME:-default}`,
 * `${NAME-default}`, `$$` for a literal `$`), resolved against the app's
 * config vars: on the platform the app's config is its environment, and the
 * platform's own environment must never leak into an app.
 */
const TOKEN = /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Substitutes variables in `text`; names that have no value and no default are collected in `missing`. */
export function interpolate(text: string, vars: Readonly<Record<string, string>>, missing: Set<string>): string {
  return text.replace(TOKEN, (_all, body: string, braced?: string, op?: string, fallback?: string, bare?: string) => {
    if (body === '$') return '$';
    const name = (braced ?? bare) as string;
    const value = vars[name];
    if (op === ':-' && !value) return fallback ?? '';
    if (op === '-' && value === undefined) return fallback ?? '';
    if (value === undefined) missing.add(name);
    return value ?? '';
  });
}
