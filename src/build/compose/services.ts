import { manifestError, type PositionedDoc } from '../manifest/errors.js';
import { interpolate } from './interpolate.js';
import type { ComposeSource } from './model.js';
import type { ComposeService } from './schema.js';

/** What one service reads with: the file for messages, config vars for substitution. */
export interface ServiceContext {
  file: string;
  where: PositionedDoc;
  vars: Readonly<Record<string, string>>;
  missing: Set<string>;
}

const fail = (ctx: ServiceContext, path: readonly (string | number)[], expected: string) =>
  manifestError(ctx.file, ctx.where.lineOf(path), `${path.join('.')}: ${expected}`);

/** `KEY=value` lists and maps alike; a bare `KEY` (take it from the shell) is looked up in the config vars. */
export function keyValues(ctx: ServiceContext, raw: ComposeService['environment']): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const item of raw) {
      const eq = item.indexOf('=');
      const key = eq < 0 ? item : item.slice(0, eq);
      const value = eq < 0 ? ctx.vars[key] : interpolate(item.slice(eq + 1), ctx.vars, ctx.missing);
      if (value !== undefined) out[key] = value;
    }
  } else {
    for (const [key, value] of Object.entries(raw ?? {})) {
      if (value === null) {
        if (ctx.vars[key] !== undefined) out[key] = ctx.vars[key];
      } else out[key] = typeof value === 'string' ? interpolate(value, ctx.vars, ctx.missing) : String(value);
    }
  }
  return out;
}

/** Compose's string form of `command:` is split like a shell would split words, without running one. */
export function argv(ctx: ServiceContext, raw: string | string[] | null | undefined): string[] | null {
  if (raw === undefined || raw === null) return null;
  if (Array.isArray(raw)) return raw.map((a) => interpolate(a, ctx.vars, ctx.missing));
  const words: string[] = [];
  for (const m of interpolate(raw, ctx.vars, ctx.missing).matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) {
    words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3] ?? ''));
  }
  return words;
}

export function sourceOf(ctx: ServiceContext, name: string, svc: ComposeService): ComposeSource {
  if (svc.build !== undefined) {
    const b = typeof svc.build === 'string' ? { context: svc.build } : svc.build;
    const context = b.context ?? '.';
    if (context.startsWith('/') || context.split('/').includes('..') || /^[a-z]+:\/\//i.test(context)) {
      throw fail(ctx, ['services', name, 'build'], `the build context must be a directory inside the repository, got "${context}"`);
    }
    return { kind: 'build', context, dockerfile: b.dockerfile ?? null, args: keyValues(ctx, b.args), target: b.target ?? null };
  }
  if (svc.image) return { kind: 'image', image: interpolate(svc.image, ctx.vars, ctx.missing) };
  throw fail(ctx, ['services', name], 'expected `build:` or `image:`');
}

/** The container port the web service listens on: the target of its first TCP `ports:` entry, else `expose:`. */
export function containerPort(ctx: ServiceContext, name: string, svc: ComposeService): number | null {
  for (const [i, p] of (svc.ports ?? []).entries()) {
    const target = typeof p === 'object' ? `${p.target}/${p.protocol ?? 'tcp'}` : String(p);
    const m = /^(?:.*:)?(\d+)(?:-\d+)?(?:\/(tcp|udp|sctp))?$/.exec(target);
    if (!m) throw fail(ctx, ['services', name, 'ports', i], `expected a port like "8080:80" or 80, got "${target}"`);
    if ((m[2] ?? 'tcp') === 'tcp') return Number(m[1]);
  }
  const exposed = svc.expose?.[0];
  return exposed === undefined ? null : Number(String(exposed).split('/', 1)[0]);
}

/** Dynos have ephemeral filesystems: named volumes and bind mounts cannot mean what they do under Compose. */
export function refuseVolumes(ctx: ServiceContext, name: string, svc: ComposeService): void {
  for (const [i, v] of (svc.volumes ?? []).entries()) {
    const source = typeof v === 'string' ? (v.includes(':') ? v.split(':', 1)[0] : undefined) : v.source;
    if (!source) continue;
    const what = /^[./~]/.test(source) ? `bind mount "${source}"` : `named volume "${source}"`;
    throw fail(
      ctx,
      ['services', name, 'volumes', i],
      `${what} is not supported: dynos have ephemeral filesystems; keep data in an add-on (postgres, redis, mysql, mongodb) and files in the image (build:)`,
    );
  }
}

export function dependsOn(svc: ComposeService): string[] {
  const d = svc.depends_on;
  return Array.isArray(d) ? d : Object.keys(d ?? {});
}
