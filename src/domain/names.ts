/** Validation rules for names users choose; shared by the API schemas and the CLI. */

export const APP_NAME = /^[a-z][a-z0-9-]{1,29}$/;
export const APP_NAME_RULE =
  'Name must start with a letter, contain only lowercase letters, digits and dashes, and be 2 to 30 characters long.';

/** Heroku accepts `^\w+$`; it also warns against a leading `__` or digits-first keys. */
export const CONFIG_VAR_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const CONFIG_VAR_KEY_RULE =
  'Config var names may contain only letters, digits and underscores, and must not start with a digit.';

/** All keys and values of an app's config together (Heroku: 32 KB). */
export const CONFIG_MAX_BYTES = 32 * 1024;

export const PROCESS_TYPE = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * A DNS name of two or more labels whose last label (the TLD) starts with a
 * letter, so no IP literal or number a resolver reads as an address
 * (`127.0.0.1`, `0x7f000001`, `10`, `1.0x7f`) can be a custom domain.
 */
export const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function configSize(vars: Readonly<Record<string, string>>): number {
  let n = 0;
  for (const [k, v] of Object.entries(vars)) n += Buffer.byteLength(k) + Buffer.byteLength(v);
  return n;
}
