/** A dyno's point-to-point /30: the host end and the dyno end of its veth pair. */
export interface DynoSubnet {
  /** Index of the /30 in the pool; names the namespace and interfaces. */
  slot: number;
  hostAddress: string;
  dynoAddress: string;
}

export interface AddressPool {
  /** The pool as configured (`172.16.0.0/12`): every dyno address lies in it. */
  cidr: string;
  /** How many /30s dynos can use: all but the last, which holds the services address. */
  size: number;
  /**
   * The pool's last usable address, kept for the host: add-on servers listen
   * there and every dyno namespace has a route to it (see services-address.ts).
   */
  servicesAddress: string;
  subnet(slot: number): DynoSubnet;
}

const toInt = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** Parses an IPv4 CIDR (prefix /8 to /29) into a pool of /30s; throws with a fix-it message. */
export function parseAddressPool(cidr: string): AddressPool {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || prefix < 8 || prefix > 29) {
    throw new Error(`The dyno address pool must be an IPv4 CIDR from /8 to /29 (e.g. 172.16.0.0/12), got "${cidr}".`);
  }
  const span = 2 ** (32 - prefix);
  const base = toInt(octets.join('.'));
  if (base % span !== 0) throw new Error(`The dyno address pool ${cidr} is not aligned: use ${toIp(base - (base % span))}/${prefix}.`);
  const size = span / 4 - 1;
  return {
    cidr: cidr.trim(),
    size,
    servicesAddress: toIp(base + span - 2),
    subnet(slot) {
      if (!Number.isInteger(slot) || slot < 0 || slot >= size) throw new Error(`slot ${slot} is outside the pool ${cidr}`);
      const net = base + slot * 4;
      return { slot, hostAddress: toIp(net + 1), dynoAddress: toIp(net + 2) };
    },
  };
}
