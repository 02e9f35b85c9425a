/** The loopback address every add-on server listens on; the platform's own admin connections use it. */
export const LOOPBACK = '127.0.0.1';

/**
 * A host-local address that sandboxed dynos can reach (the runtime sets it up;
 * the platform passes it in, so add-ons never depend on the runtime).
 */
export interface ServicesNetwork {
  address: string;
  /** CIDR dyno connections come from. */
  clients: string;
}

/** Where add-on servers listen and whom they let authenticate. */
export interface ServiceAddresses {
  /** Host of every add-on URL: the services address when there is one, else 127.0.0.1. */
  urlHost: string;
  /** Addresses servers bind, 127.0.0.1 first; never a wildcard. */
  listen: readonly string[];
  /** Networks (CIDR) allowed to log in besides loopback. */
  clients: readonly string[];
}

export function serviceAddresses(services: ServicesNetwork | null): ServiceAddresses {
  if (!services) return { urlHost: LOOPBACK, listen: [LOOPBACK], clients: [] };
  return { urlHost: services.address, listen: [LOOPBACK, services.address], clients: [services.clients] };
}
