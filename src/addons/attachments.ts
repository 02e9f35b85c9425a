import type { Addon, ConfigVars } from '../domain/index.js';
import { conflict, invalid } from '../shared/errors.js';
import type { ServiceDescription } from './provider.js';

export const ATTACHMENT_NAME = /^[A-Z][A-Z0-9_]{0,49}$/;
export const ADDON_NAME = /^[a-z][a-z0-9-]{2,59}$/;

/** The config var an attachment gives the app: `DATABASE` → `DATABASE_URL`. */
export const configVarOf = (attachmentName: string, service: Pick<ServiceDescription, 'varSuffix'>): string =>
  `${attachmentName}${service.varSuffix}`;

export function validateAddonName(name: string): void {
  if (!ADDON_NAME.test(name)) {
    throw invalid(`Invalid add-on name "${name}". Use 3 to 60 lowercase letters, digits and dashes, starting with a letter.`);
  }
}

/**
 * The attachment name for a new add-on: the requested one if it is free, else
 * the service's first free default (`DATABASE`, then `POSTGRES`, `POSTGRES_2`...).
 * A name is taken when another add-on uses it or the app already has its config var.
 */
export function chooseAttachment(
  service: ServiceDescription,
  existing: readonly Addon[],
  config: ConfigVars,
  requested: string | undefined,
): string {
  const usedBy = (name: string) => existing.find((a) => a.attachmentName === name);
  if (requested !== undefined) {
    if (!ATTACHMENT_NAME.test(requested)) {
      throw invalid(`Invalid attachment name "${requested}". Use uppercase letters, digits and underscores, starting with a letter (e.g. --as CACHE).`);
    }
    const other = usedBy(requested);
    if (other) throw conflict(`${requested} is already used by the add-on ${other.name} on this app; choose another name with --as.`);
    const v = configVarOf(requested, service);
    if (v in config) throw conflict(`The app already sets ${v}; unset it first (\`cupaas config:unset ${v}\`) or choose another name with --as.`);
    return requested;
  }
  if (service.external) throw invalid('Attaching an external service needs a name for its config var: add --as NAME (e.g. --as MAILER).');
  const last = service.attachmentNames[service.attachmentNames.length - 1] as string;
  const candidates = [...service.attachmentNames, ...Array.from({ length: 98 }, (_, i) => `${last}_${i + 2}`)];
  const free = candidates.find((n) => !usedBy(n) && !(configVarOf(n, service) in config));
  if (!free) throw conflict(`This app has no free attachment name left for ${service.name}; choose one with --as.`);
  return free;
}
