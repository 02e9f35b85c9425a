import { randomBytes } from 'node:crypto';
import type { App, PlatformEvent, SniEndpoint } from '../domain/index.js';
import { conflict, notFound } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import { newId } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import type { Store } from '../store/index.js';
import { validateCertificate } from './certificates.js';

export interface SniEndpointServiceDeps {
  store: Pick<Store, 'sniEndpoints' | 'transaction'>;
  events: Pick<EventBus<PlatformEvent>, 'publish'>;
}

export interface CertificateUpload {
  certificateChain: string;
  privateKey: string;
}

/** Heroku names endpoints like `tokyo-1050`; ours are `sni-` and 8 hex digits, unique across the platform. */
const endpointName = () => `sni-${randomBytes(4).toString('hex')}`;

/**
 * An app's SNI endpoints: certificates (and keys) it serves on the router's
 * TLS port for the custom domains they cover. Uploads are validated here
 * (the key must match, the chain must be in order, not expired); changes
 * publish `sni-endpoint.changed`, which the router follows.
 */
export function createSniEndpointService({ store, events }: SniEndpointServiceDeps) {
  const find = (app: App, idOrName: string): SniEndpoint => {
    const e = store.sniEndpoints.find(app.id, idOrName.trim());
    if (!e) throw notFound('sni-endpoint', idOrName);
    return e;
  };
  const changed = (app: App) => events.publish({ type: 'sni-endpoint.changed', appId: app.id });

  return {
    list: (app: App): SniEndpoint[] => store.sniEndpoints.list(app.id),
    find,

    add(app: App, upload: CertificateUpload): SniEndpoint {
      const { chainPem, keyPem } = validateCertificate(upload.certificateChain, upload.privateKey);
      const t = isoTime();
      const endpoint: SniEndpoint = {
        id: newId(), appId: app.id, name: endpointName(), certificateChain: chainPem, privateKey: keyPem, createdAt: t, updatedAt: t,
      };
      store.transaction(() => {
        if (store.sniEndpoints.nameTaken(endpoint.name)) throw conflict('An SNI endpoint name collided; try again.');
        store.sniEndpoints.insert(endpoint);
      });
      changed(app);
      return endpoint;
    },

    update(app: App, idOrName: string, upload: CertificateUpload): SniEndpoint {
      const current = find(app, idOrName);
      const { chainPem, keyPem } = validateCertificate(upload.certificateChain, upload.privateKey);
      const next = { ...current, certificateChain: chainPem, privateKey: keyPem, updatedAt: isoTime() };
      store.sniEndpoints.update(current.id, next);
      changed(app);
      return next;
    },

    remove(app: App, idOrName: string): SniEndpoint {
      const e = find(app, idOrName);
      store.sniEndpoints.delete(e.id);
      changed(app);
      return e;
    },
  };
}

export type SniEndpointService = ReturnType<typeof createSniEndpointService>;

