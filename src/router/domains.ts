import type { ResolvedConfig } from '../config/index.js';
import type { App, AppDomain, PlatformEvent } from '../domain/index.js';
import { HOSTNAME } from '../domain/index.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import { newId, stableId } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import type { Store } from '../store/index.js';
import { defaultHostname } from './hosts.js';

export interface DomainServiceDeps {
  config: Pick<ResolvedConfig, 'baseDomain'>;
  store: Pick<Store, 'domains' | 'transaction'>;
  events: Pick<EventBus<PlatformEvent>, 'publish'>;
}


/** `Example.COM.` and `example.com` are the same hostname. */
const normalize = (hostname: string): string => hostname.trim().toLowerCase().replace(/\.$/, '');

/**
 * An app's domains: its default `APP.BASE_DOMAIN` (computed from the name,
 * kind `heroku`, never stored or deletable) and the custom ones users add.
 * Changes publish `domain.changed`, which the router follows.
 */
export function createDomainService({ config, store, events }: DomainServiceDeps) {
  const defaultDomain = (app: App): AppDomain => ({
    id: stableId(`default-domain:${app.id}`), appId: app.id, hostname: defaultHostname(app.name, config.baseDomain), kind: 'heroku',
    createdAt: app.createdAt, updatedAt: app.updatedAt,
  });

  const list = (app: App): AppDomain[] => [defaultDomain(app), ...store.domains.list(app.id)];

  const find = (app: App, idOrHostname: string): AppDomain => {
    const key = normalize(idOrHostname);
    const found = list(app).find((d) => d.id === key || d.hostname === key);
    if (!found) throw notFound('domain', idOrHostname);
    return found;
  };

  return {
    /** The CNAME target of an app's custom domains. */
    defaultHostname: (app: App): string => defaultHostname(app.name, config.baseDomain),
    list,
    find,

    add(app: App, hostname: string): AppDomain {
      const h = normalize(hostname);
      if (!HOSTNAME.test(h)) {
        throw invalid(`"${hostname}" is not a DNS name: use labels of letters, digits and dashes ending in a top-level domain, like www.example.com (IP addresses are not accepted).`);
      }
      if (h === config.baseDomain || h.endsWith(`.${config.baseDomain}`)) {
        throw invalid(`Hostnames under ${config.baseDomain} are reserved for apps' default domains; add a domain you own.`);
      }
      const t = isoTime();
      const domain: AppDomain = { id: newId(), appId: app.id, hostname: h, kind: 'custom', createdAt: t, updatedAt: t };
      store.transaction(() => {
        if (store.domains.hostnameTaken(h)) throw conflict(`The domain ${h} is already in use by an app.`);
        store.domains.insert(domain);
      });
      events.publish({ type: 'domain.changed', appId: app.id });
      return domain;
    },

    remove(app: App, idOrHostname: string): AppDomain {
      const domain = find(app, idOrHostname);
      if (domain.kind === 'heroku') {
        throw invalid(`${domain.hostname} is the app's default domain and cannot be removed; rename the app instead.`);
      }
      store.domains.delete(domain.id);
      events.publish({ type: 'domain.changed', appId: app.id });
      return domain;
    },
  };
}

export type DomainService = ReturnType<typeof createDomainService>;
