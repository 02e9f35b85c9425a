import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Addon, AddonBackup } from '../domain/index.js';
import { invalid, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import type { Store } from '../store/index.js';
import type { Serializer } from './internal/serial.js';
import type { AddonProvider } from './provider.js';

/** A backup with its per-add-on name (`b001`, `b002`... in creation order, as Heroku names them). */
export interface NamedBackup extends AddonBackup {
  name: string;
}

export interface BackupDeps {
  store: Pick<Store, 'addons'>;
  providerOf(addon: Addon): AddonProvider;
  resourceOf(addon: Addon): { providerId: string; url: string };
  /** `$CUPAAS_HOME/backups`; files live in `<dir>/<add-on name>/`. */
  dir: string;
  serial: Serializer;
}

/** Backups of add-on data: taken by the provider's own tool, kept as files, restorable and downloadable. */
export function createBackups({ store, providerOf, resourceOf, dir, serial }: BackupDeps) {
  const list = (addon: Addon): NamedBackup[] =>
    store.addons.listBackups(addon.id).map((b, i) => ({ ...b, name: `b${String(i + 1).padStart(3, '0')}` }));

  const extensionOf = (addon: Addon): string => {
    const ext = providerOf(addon).service.backupExtension;
    if (ext === null) throw invalid(`${addon.name} is an ${addon.service} add-on, which cupaas does not back up.`);
    return ext;
  };

  const take = async (addon: Addon): Promise<NamedBackup> => {
    const ext = extensionOf(addon);
    const id = newId();
    const folder = join(dir, addon.name);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const file = join(folder, `${isoTime().replace(/[:.]/g, '-')}-${id.slice(0, 8)}${ext}`);
    const partial = `${file}.partial`;
    try {
      await providerOf(addon).backup(resourceOf(addon), partial);
      renameSync(partial, file);
    } finally {
      rmSync(partial, { force: true });
    }
    store.addons.insertBackup({ id, addonId: addon.id, path: file, size: statSync(file).size, createdAt: isoTime() });
    return list(addon).find((b) => b.id === id) as NamedBackup;
  };

  const find = (addon: Addon, idOrName: string): NamedBackup => {
    const b = list(addon).find((x) => x.id === idOrName || x.name === idOrName);
    if (!b) throw notFound('backup', `${idOrName} of ${addon.name}. \`cupaas addons:backups ${addon.name}\` lists them`);
    return b;
  };

  return {
    list,
    find,
    /** Takes a backup now. Unserialized: for callers already holding the add-on's turn. */
    takeNow: take,
    take: (addon: Addon) => serial(addon.id, () => take(addon)),
    /** Replaces the add-on's data with the backup's. */
    restore: (addon: Addon, idOrName: string) =>
      serial(addon.id, async () => {
        extensionOf(addon);
        const b = find(addon, idOrName);
        await providerOf(addon).restore(resourceOf(addon), b.path);
        return b;
      }),
  };
}

export type Backups = ReturnType<typeof createBackups>;
