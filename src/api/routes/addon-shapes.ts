import type { NamedBackup, ServiceListing } from '../../addons/index.js';
import type { Addon, App } from '../../domain/index.js';
import { stableId } from '../../shared/ids.js';
import { appRef } from '../shapes.js';

/** Services and plans are not records: their ids derive from their names. */
const serviceId = (name: string): string => stableId(`cupaas-addon-service:${name}`);

/** An add-on in Heroku's shape; config var names only, never their values. */
export function addonJson(addon: Addon, app: Pick<App, 'id' | 'name'>) {
  return {
    id: addon.id,
    name: addon.name,
    addon_service: { id: serviceId(addon.service), name: addon.service },
    plan: { id: serviceId(`${addon.service}:${addon.plan}`), name: `${addon.service}:${addon.plan}` },
    app: appRef(app),
    billing_entity: { ...appRef(app), type: 'app' },
    attachment: { name: addon.attachmentName },
    config_vars: Object.keys(addon.config),
    state: addon.state,
    provider_id: addon.providerId,
    actions: [],
    // Self-hosted: nothing is billed; Heroku's CLI shows this as free.
    billed_price: { cents: 0, contract: false, unit: 'month' },
    web_url: null,
    created_at: addon.createdAt,
    updated_at: addon.updatedAt,
  };
}

export function addonServiceJson(s: ServiceListing) {
  return {
    id: serviceId(s.name),
    name: s.name,
    human_name: s.humanName,
    description: s.description,
    aliases: s.aliases,
    plans: s.plans.map((p) => ({ id: serviceId(`${s.name}:${p}`), name: `${s.name}:${p}` })),
    config_var_suffix: s.varSuffix,
    default_attachment_names: s.attachmentNames,
    supports_backups: s.backupExtension !== null,
    external: s.external,
    available: s.unavailable === null,
    unavailable_reason: s.unavailable,
    state: 'ga',
  };
}

export function backupJson(b: NamedBackup, addon: Pick<Addon, 'id' | 'name'>) {
  return { id: b.id, name: b.name, size: b.size, addon: { id: addon.id, name: addon.name }, created_at: b.createdAt };
}

/**
 * The attachment of an add-on to its app, in Heroku's shape. cupaas attaches
 * each add-on to exactly one app, so the attachment shares the add-on's id.
 */
export function attachmentJson(addon: Addon, app: Pick<App, 'id' | 'name'>) {
  return {
    id: addon.id,
    name: addon.attachmentName,
    addon: { id: addon.id, name: addon.name, app: appRef(app) },
    app: appRef(app),
    namespace: null,
    web_url: null,
    log_input_url: null,
    created_at: addon.createdAt,
    updated_at: addon.updatedAt,
  };
}
