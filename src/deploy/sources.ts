import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { PlatformError } from '../shared/errors.js';
import { newSecret } from '../shared/ids.js';

/** Uploaded source blobs live this long; builds copy nothing, so they must start within it. */
const SOURCE_TTL_MS = 60 * 60 * 1000;
const ID = /^[A-Za-z0-9_-]{20,64}$/;

/**
 * Source tarballs uploaded for the builds API (Heroku's `POST /sources`):
 * each gets an unguessable id, is written once by PUT and read by builds.
 * Files live under `$CUPAAS_HOME/sources` and expire after an hour.
 */
export function createSourceBlobs(dir: string, maxBytes: number) {
  const blob = (id: string) => join(dir, `${id}.tgz`);
  const slot = (id: string) => join(dir, `${id}.slot`);
  const valid = (id: string) => ID.test(id);

  const expireOld = () => {
    if (!existsSync(dir)) return;
    const cutoff = Date.now() - SOURCE_TTL_MS;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).mtimeMs < cutoff) rmSync(p, { force: true });
    }
  };

  /** Removes the slot; false when it was gone (never reserved, expired or already claimed). */
  const claim = (id: string): boolean => {
    try {
      unlinkSync(slot(id));
      return true;
    } catch {
      return false;
    }
  };

  return {
    /** Reserves a new blob id that one PUT may fill. */
    create(): string {
      expireOld();
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const id = newSecret(24);
      writeFileSync(slot(id), '');
      return id;
    },
    /**
     * Stores the upload of a reserved id, refusing it past `maxBytes`. The
     * slot is claimed before the first byte is read, so the URL takes exactly
     * one upload: a second PUT (or one racing the first) finds no slot.
     */
    async put(id: string, body: Readable, declaredLength: number | null): Promise<void> {
      if (!valid(id) || !claim(id)) throw new PlatformError('not_found', 'Unknown or already used source; create one with POST /sources.');
      if (declaredLength !== null && declaredLength > maxBytes) throw tooLarge(maxBytes);
      const tmp = `${blob(id)}.part`;
      let size = 0;
      const limited = async function* (source: Readable) {
        for await (const chunk of source) {
          size += (chunk as Buffer).length;
          if (size > maxBytes) throw tooLarge(maxBytes);
          yield chunk as Buffer;
        }
      };
      try {
        await pipeline(body, limited, createWriteStream(tmp, { mode: 0o600 }));
        renameSync(tmp, blob(id));
      } finally {
        rmSync(tmp, { force: true });
      }
    },
    /** The file of an uploaded blob, or null. */
    path(id: string): string | null {
      return valid(id) && existsSync(blob(id)) ? blob(id) : null;
    },
    open(id: string): Readable | null {
      const p = this.path(id);
      return p ? createReadStream(p) : null;
    },
  };
}

const tooLarge = (max: number) =>
  new PlatformError('payload_too_large', `Source archives may be at most ${Math.round(max / (1024 * 1024))} MB.`);

export type SourceBlobs = ReturnType<typeof createSourceBlobs>;
