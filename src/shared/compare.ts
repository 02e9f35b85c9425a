/**
 * Orders strings by UTF-16 code units, the same everywhere: no locale, and no
 * ICU collator, which `localeCompare` loads on its first call (2 MB of node's
 * pages in the server, issue 17). For sorting names and ids, not prose.
 */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
