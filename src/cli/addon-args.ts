import { CliError } from './errors.js';

/** API path of an add-on (or of something under it). */
export const addonPath = (app: string, addon: string, rest = ''): string =>
  `/apps/${encodeURIComponent(app)}/addons/${encodeURIComponent(addon)}${rest}`;

/** The ADDON positional argument, or a usage error. */
export function requireAddon(args: readonly string[], command: string, more = ''): string {
  const addon = args[0];
  if (!addon) {
    throw new CliError('Which add-on?', `Usage: cupaas ${command} ADDON${more} -a APP (\`cupaas addons\` lists them)`);
  }
  return addon;
}

/** Refuses a destructive command unless `--confirm` repeats the app's name. */
export function requireConfirm(confirm: unknown, app: string, what: string, retry: string): void {
  if (confirm !== app) throw new CliError(`${what} This cannot be undone.`, `To proceed, run: ${retry} --confirm ${app}`);
}
