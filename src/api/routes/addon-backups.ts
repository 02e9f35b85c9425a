import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import * as z from 'zod';
import type { Addon, App } from '../../domain/index.js';
import { invalid } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest, Route } from '../http/index.js';
import { addonJson, backupJson } from './addon-shapes.js';
import { appFor } from './app-access.js';

/** `.dump` of `.../2026-01-01T00-00-00-000Z-1a2b3c4d.dump`: backup file names have no other dot. */
const extensionOf = (path: string): string => {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.includes('.') ? name.slice(name.indexOf('.')) : '';
};

const Restore = z.lazy(() => z.strictObject({ confirm: z.string().optional() }));

/** `/apps/{app}/addons/{addon}/backups`: take, list, show, download, restore. */
export function addonBackupRoutes(ctx: Pick<ApiContext, 'apps' | 'addons'>): Route[] {
  const target = (req: ApiRequest): { app: App; addon: Addon } => {
    const app = appFor(req);
    return { app, addon: ctx.addons.find(app, req.params.addon as string) };
  };
  const base = '/apps/:app/addons/:addon/backups';

  return [
    {
      method: 'GET',
      path: base,
      access: 'app:read',
      handler: async (req) => {
        const { addon } = target(req);
        return { body: ctx.addons.backups.list(addon).map((b) => backupJson(b, addon)) };
      },
    },
    {
      method: 'POST',
      path: base,
      access: 'app:deploy',
      handler: async (req) => {
        const { addon } = target(req);
        return { status: 201, body: backupJson(await ctx.addons.backups.take(addon), addon) };
      },
    },
    {
      method: 'GET',
      path: `${base}/:backup`,
      access: 'app:read',
      handler: async (req) => {
        const { addon } = target(req);
        return { body: backupJson(ctx.addons.backups.find(addon, req.params.backup as string), addon) };
      },
    },
    {
      method: 'GET',
      path: `${base}/:backup/download`,
      access: 'app:deploy',
      handler: async (req, res) => {
        const { addon } = target(req);
        const b = ctx.addons.backups.find(addon, req.params.backup as string);
        res.writeHead(200, {
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(b.size),
          'Content-Disposition': `attachment; filename="${addon.name}-${b.name}${extensionOf(b.path)}"`,
        });
        await pipeline(createReadStream(b.path), res);
        return 'streamed';
      },
    },
    {
      // Destructive: the body must repeat the app's name, as `--confirm APP` does on the CLI.
      method: 'POST',
      path: `${base}/:backup/restore`,
      access: 'app:deploy',
      handler: async (req) => {
        const { app, addon } = target(req);
        const { confirm } = await req.body(Restore);
        if (confirm !== app.name) {
          throw invalid(`Restoring replaces all data of ${addon.name}. Confirm with the app name: {"confirm": "${app.name}"} (CLI: --confirm ${app.name}).`);
        }
        const b = await ctx.addons.backups.restore(addon, req.params.backup as string);
        return { body: { ...addonJson(addon, app), restored_backup: backupJson(b, addon) } };
      },
    },
  ];
}
