/**
 * The backing services apps can declare (`.cupaas` `services:`, app.json
 * `addons`) and create as add-ons, with the other names they go by (Heroku's
 * add-on names among them, so manifests written for Heroku deploy as they
 * are). The one table both manifest validation and add-on plans read.
 */

/** Canonical service names: what add-on records store. */
export const SERVICE_NAMES = ['postgres', 'redis', 'mysql', 'mongodb'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Other names for each service, as users and Heroku manifests write them. */
export const SERVICE_ALIASES: Readonly<Record<ServiceName, readonly string[]>> = {
  postgres: ['postgresql', 'heroku-postgresql', 'pg'],
  redis: ['heroku-redis', 'rediscloud'],
  mysql: ['mariadb', 'jawsdb', 'cleardb'],
  mongodb: ['mongo', 'mongolab', 'ormongo'],
};

const BY_NAME: ReadonlyMap<string, ServiceName> = new Map(
  SERVICE_NAMES.flatMap((name) => [[name, name] as const, ...SERVICE_ALIASES[name].map((alias) => [alias, name] as const)]),
);

/** The service a name or alias means (case-insensitive), or null when none. */
export const canonicalService = (name: string): ServiceName | null => BY_NAME.get(name.trim().toLowerCase()) ?? null;

/** The service of a plan spec (`heroku-postgresql:essential-0` is postgres), or null when none. */
export const serviceOfPlan = (spec: string): ServiceName | null => canonicalService(spec.split(':', 1)[0] ?? '');

/** `postgres, redis (also accepted: postgresql, heroku-postgresql, ...)`: for messages listing what is supported. */
export function describeServices(names: readonly string[]): string {
  const aliases = names.flatMap((n) => SERVICE_ALIASES[n as ServiceName] ?? []);
  return `${names.join(', ')}${aliases.length ? ` (also accepted: ${aliases.join(', ')})` : ''}`;
}
