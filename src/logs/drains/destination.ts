import { lookup as dnsLookup, type LookupAddress, type LookupOneOptions } from 'node:dns';
// `net.BlockList` is a getter (it loads its module on first read): read where used, not imported by name (scripts/bundle-server.mjs).
import net, { isIP, type LookupFunction } from 'node:net';
import { networkInterfaces } from 'node:os';
import { invalid } from '../../shared/errors.js';

/**
 * Where drains may send: never, unless an admin allows it, to the machine
 * itself (loopback in any spelling, its own interface addresses, so the
 * platform's API and the add-on services address), cloud metadata
 * endpoints, private, link-local, shared, multicast or reserved ranges.
 * Checked twice: on the URL when a drain is added, and on every address a
 * name resolves to when a drain connects (a name may later resolve to
 * something else: DNS rebinding).
 */
export interface DrainDestinations {
  /** Throws 422 when the URL's host is refused as written (a name or an IP literal). */
  checkUrl(url: URL): void;
  /** The reason an address may not be connected to, or null when it may. */
  refusal(address: string): string | null;
  /** A `lookup` for sockets that fails instead of yielding a refused address. */
  lookup: LookupFunction;
}

export interface DrainDestinationOptions {
  /** Admin allowances: host names (exact), IP addresses and CIDR ranges (`10.1.0.0/16`, `::1`). */
  allow?: readonly string[];
  /** More names and addresses to refuse, such as the platform's public API host and the services address. */
  refuseHosts?: readonly string[];
  /** The API's port: refused on this machine even where an admin allows the host, so no drain can call the API. */
  apiPort?: number;
  /** This machine's addresses; all interfaces by default. */
  ownAddresses?: () => readonly string[];
}

const REFUSED_RANGES: ReadonlyArray<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'], ['10.0.0.0', 8, 'ipv4'], ['100.64.0.0', 10, 'ipv4'], ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.0.0.0', 24, 'ipv4'], ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'], ['198.18.0.0', 15, 'ipv4'], ['198.51.100.0', 24, 'ipv4'], ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'], ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'], ['::1', 128, 'ipv6'], ['64:ff9b::', 96, 'ipv6'], ['100::', 64, 'ipv6'], ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'], ['fe80::', 10, 'ipv6'], ['ff00::', 8, 'ipv6'],
];

/** Names that are the machine itself or a cloud metadata service, whatever they resolve to. */
const REFUSED_NAME = /(^|\.)(localhost|localdomain)$|^metadata(\.google\.internal)?$|^instance-data(\.ec2\.internal)?$/;

const family = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** `::ffff:127.0.0.1` and `::ffff:7f00:1` are 127.0.0.1: IPv4 rules must see them as such. */
function unmapped(ip: string): string {
  const m = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(ip);
  if (!m) return ip;
  if (m[1]) return m[1];
  const [hi, lo] = [parseInt(m[2] as string, 16), parseInt(m[3] as string, 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase().replace(/\.$/, '');

const HINT = 'an admin can allow it with CUPAAS_DRAIN_ALLOW (host names, addresses or CIDR ranges, comma-separated)';

/** The destination rules for drains; see `DrainDestinations`. */
export function createDrainDestinations(opts: DrainDestinationOptions = {}): DrainDestinations {
  const allowedNames = new Set<string>();
  const allowed = new net.BlockList();
  for (const entry of opts.allow ?? []) {
    const e = entry.trim().toLowerCase();
    if (!e) continue;
    const [addr = '', bits] = e.split('/');
    if (isIP(addr) && bits !== undefined) allowed.addSubnet(addr, Number(bits), family(addr));
    else if (isIP(addr)) allowed.addAddress(addr, family(addr));
    else allowedNames.add(e.replace(/\.$/, ''));
  }
  const refused = new net.BlockList();
  for (const [subnet, bits, fam] of REFUSED_RANGES) refused.addSubnet(subnet, bits, fam);
  const refusedNames = new Set<string>();
  for (const h of opts.refuseHosts ?? []) {
    const e = h.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (isIP(e)) refused.addAddress(unmapped(e), family(unmapped(e)));
    else if (e) refusedNames.add(e);
  }
  const ownAddresses = opts.ownAddresses ?? (() => Object.values(networkInterfaces()).flat().map((i) => i?.address ?? ''));

  const refusal = (raw: string): string | null => {
    const ip = unmapped(raw.toLowerCase().replace(/%.*$/, ''));
    if (!isIP(ip)) return `${raw} is not an IP address`;
    if (allowed.check(ip, family(ip))) return null;
    if (refused.check(ip, family(ip))) return `${raw} is a loopback, private, link-local or reserved address`;
    if (ownAddresses().some((a) => a && unmapped(a.toLowerCase()) === ip)) return `${raw} is an address of this machine`;
    return null;
  };

  const lookup: LookupFunction = (hostname, options, callback) => {
    const all = (options as { all?: boolean }).all === true;
    dnsLookup(hostname, { ...(options as LookupOneOptions), all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, all ? [] : '', 0);
      const bad = allowedNames.has(hostname.toLowerCase()) ? null : addresses.map((a) => refusal(a.address)).find(Boolean);
      if (bad) {
        const e = Object.assign(new Error(`drain host ${hostname} resolves to a refused address: ${bad}; ${HINT}`), { code: 'EDRAINREFUSED' });
        return callback(e, all ? [] : '', 0);
      }
      if (all) return callback(null, addresses);
      const first = addresses[0];
      return first ? callback(null, first.address, first.family) : callback(new Error(`no address for ${hostname}`), '', 0);
    });
  };

  const loopback = new net.BlockList();
  loopback.addSubnet('127.0.0.0', 8, 'ipv4');
  loopback.addSubnet('0.0.0.0', 8, 'ipv4');
  loopback.addAddress('::1', 'ipv6');
  loopback.addAddress('::', 'ipv6');
  const isThisMachine = (host: string): boolean => {
    if (!isIP(host)) return REFUSED_NAME.test(host) || refusedNames.has(host);
    const ip = unmapped(host);
    return loopback.check(ip, family(ip)) || refused.check(ip, family(ip)) || ownAddresses().some((a) => a && unmapped(a.toLowerCase()) === ip);
  };
  const portOf = (url: URL): number => Number(url.port || ({ 'https:': 443, 'http:': 80 } as Record<string, number>)[url.protocol] || 0);

  return {
    checkUrl(url) {
      const host = hostOf(url);
      if (opts.apiPort && portOf(url) === opts.apiPort && isThisMachine(host)) {
        throw invalid(`Drains may not send to the platform's own API (${host}:${opts.apiPort}).`);
      }
      if (allowedNames.has(host)) return;
      if (REFUSED_NAME.test(host) || refusedNames.has(host)) {
        throw invalid(`Drains may not send to ${host}: it is this machine or a metadata service; ${HINT}.`);
      }
      const why = isIP(host) ? refusal(host) : null;
      if (why) throw invalid(`Drains may not send to ${host}: ${why}; ${HINT}.`);
    },
    refusal,
    lookup,
  };
}
