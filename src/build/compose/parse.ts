import { PROCESS_TYPE } from '../../domain/index.js';
import { manifestError, positioned, validate } from '../manifest/errors.js';
import { addonKindOfImage, referAddons } from './addons.js';
import type { ComposeAddon, ComposeApp, ComposeProcess } from './model.js';
import { ComposeFile, QUIET_TOP_LEVEL_KEYS, SUPPORTED_SERVICE_KEYS, type ComposeService } from './schema.js';
import { argv, containerPort, dependsOn, keyValues, refuseVolumes, sourceOf, type ServiceContext } from './services.js';

/**
 * Reads a compose file as one app: services with a known database or cache
 * image become add-ons (unless `x-cupaas: {addons: false}` at the top or
 * `x-cupaas: {addon: false}` on the service), the service named `web` (else
 * the one that publishes a port) is the `web` process type, the others are
 * process types named after their services, in `depends_on` order.
 * `vars` are the app's config vars, used for `${VAR}` substitution.
 * Pure: reads no files and no environment.
 */
export function parseCompose(text: string, file: string, vars: Readonly<Record<string, string>>): ComposeApp {
  const where = positioned(text);
  if (where.doc.errors.length) throw manifestError(file, null, where.doc.errors[0]?.message ?? 'invalid YAML');
  const raw = validate(file, where.doc.toJS(), ComposeFile, where);
  const ctx: ServiceContext = { file, where, vars, missing: new Set() };
  const warnings: string[] = [];
  const ignoredTop = Object.keys(raw).filter((k) => !QUIET_TOP_LEVEL_KEYS.has(k) && !k.startsWith('x-'));
  if (ignoredTop.length) warnings.push(`${file}: not applied on cupaas: ${ignoredTop.join(', ')}`);

  const services = Object.entries(raw.services).map(([name, svc]) => [name, svc ?? {}] as const);
  if (!services.length) throw manifestError(file, where.lineOf(['services']), 'services: expected at least one service');
  const addons = services.flatMap(([name, svc]) => addonOf(name, svc, raw['x-cupaas']?.addons !== false));
  const addonNames = new Set(addons.map((a) => a.service));
  for (const a of addons) {
    warnings.push(`${file}: service "${a.service}" becomes a ${a.kind} add-on; its image version, environment and volumes are not used`);
  }
  const web = webService(ctx, services.filter(([name]) => !addonNames.has(name)));
  const processes = services
    .filter(([name]) => !addonNames.has(name))
    .map(([name, svc]) => processOf(ctx, name, svc, name === web, addonNames, warnings));
  for (const name of ctx.missing) warnings.push(`${file}: variable ${name} is not set; using an empty string`);
  return { file, processes: startOrder(ctx, processes), addons, warnings };
}

function addonOf(name: string, svc: ComposeService, allowed: boolean): ComposeAddon[] {
  if (!allowed || svc['x-cupaas']?.addon === false || svc.build !== undefined || !svc.image) return [];
  const kind = addonKindOfImage(svc.image);
  return kind ? [{ service: name, kind }] : [];
}

function webService(ctx: ServiceContext, services: ReadonlyArray<readonly [string, ComposeService]>): string | null {
  if (services.some(([name]) => name === 'web')) return 'web';
  const publishing = services.filter(([, svc]) => svc.ports?.length).map(([name]) => name);
  if (publishing.length > 1) {
    throw manifestError(
      ctx.file,
      ctx.where.lineOf(['services', publishing[1] as string, 'ports']),
      `services ${publishing.join(', ')} all publish ports; only one process type receives HTTP traffic: name it "web"`,
    );
  }
  return publishing[0] ?? null;
}

function processOf(
  ctx: ServiceContext, name: string, svc: ComposeService, web: boolean, addons: ReadonlySet<string>, warnings: string[],
): ComposeProcess {
  const type = web ? 'web' : name;
  if (!PROCESS_TYPE.test(type)) {
    throw manifestError(ctx.file, ctx.where.lineOf(['services', name]), `service name "${name}" is used as a process type and may contain only letters, digits, "_" and "-"`);
  }
  refuseVolumes(ctx, name, svc);
  const unsupported = Object.keys(svc).filter((k) => !SUPPORTED_SERVICE_KEYS.has(k));
  const deployKeys = Object.keys(svc.deploy ?? {}).filter((k) => k !== 'replicas').map((k) => `deploy.${k}`);
  if (unsupported.length || deployKeys.length) {
    warnings.push(`${ctx.file}: services.${name}: not applied on cupaas: ${[...unsupported, ...deployKeys].join(', ')}`);
  }
  if (!web && svc.ports?.length) warnings.push(`${ctx.file}: services.${name}: ports are not published; only web receives HTTP traffic`);
  return {
    type,
    service: name,
    source: sourceOf(ctx, name, svc),
    command: argv(ctx, svc.command),
    entrypoint: argv(ctx, svc.entrypoint),
    env: referAddons(keyValues(ctx, svc.environment), addons),
    port: web ? containerPort(ctx, name, svc) : null,
    quantity: svc.deploy?.replicas ?? svc.scale ?? 1,
    dependsOn: dependsOn(svc).filter((d) => !addons.has(d)),
  };
}

/** Orders processes so each comes after what it depends on (by service name); a cycle or an unknown name fails. */
function startOrder(ctx: ServiceContext, processes: ComposeProcess[]): ComposeProcess[] {
  const byService = new Map(processes.map((p) => [p.service, p]));
  const done = new Set<string>();
  const ordered: ComposeProcess[] = [];
  const visit = (p: ComposeProcess, path: string[]) => {
    if (done.has(p.service)) return;
    if (path.includes(p.service)) {
      throw manifestError(ctx.file, ctx.where.lineOf(['services', p.service, 'depends_on']), `depends_on forms a cycle: ${[...path, p.service].join(' → ')}`);
    }
    for (const dep of p.dependsOn) {
      const target = byService.get(dep);
      if (!target) throw manifestError(ctx.file, ctx.where.lineOf(['services', p.service, 'depends_on']), `services.${p.service}.depends_on: no service named "${dep}"`);
      visit(target, [...path, p.service]);
    }
    done.add(p.service);
    ordered.push(p);
  };
  for (const p of processes) visit(p, []);
  return ordered.map((p) => ({ ...p, dependsOn: p.dependsOn.map((d) => (byService.get(d) as ComposeProcess).type) }));
}
