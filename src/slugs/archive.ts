import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tar } from '../shared/occasional.js';
import { newId } from '../shared/ids.js';

export interface PackedSlug {
  /** `SHA256:<hex>`, as Heroku's slug checksum. */
  checksum: string;
  size: number;
}

export interface SlugArchive {
  /** Packs `appDir` into a slug and stores it under its digest. */
  pack(appDir: string): Promise<PackedSlug>;
  /** Unpacks a slug so that `dest` holds the app's files. */
  extract(checksum: string, dest: string): Promise<void>;
  path(checksum: string): string;
  exists(checksum: string): boolean;
  remove(checksum: string): void;
}

const hexOf = (checksum: string): string => {
  const m = /^SHA256:([0-9a-f]{64})$/.exec(checksum);
  if (!m) throw new Error(`not a slug checksum: ${checksum}`);
  return m[1] as string;
};

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function createSlugArchive(dir: string): SlugArchive {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = (checksum: string) => join(dir, `${hexOf(checksum)}.tgz`);
  return {
    path,
    exists: (checksum) => existsSync(path(checksum)),
    async pack(appDir) {
      const tmp = join(dir, `.tmp-${newId()}.tgz`);
      try {
        // portable + fixed mtime: the same files give the same digest.
        await tar().create(
          { gzip: true, file: tmp, cwd: appDir, prefix: 'app', portable: true, mtime: new Date(0) },
          ['.'],
        );
        const checksum = `SHA256:${await sha256File(tmp)}`;
        const size = statSync(tmp).size;
        renameSync(tmp, path(checksum));
        return { checksum, size };
      } finally {
        rmSync(tmp, { force: true });
      }
    },
    async extract(checksum, dest) {
      mkdirSync(dest, { recursive: true });
      await tar().extract({ file: path(checksum), cwd: dest, strip: 1, preserveOwner: false });
    },
    remove: (checksum) => rmSync(path(checksum), { force: true }),
  };
}
