import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tar } from '../shared/occasional.js';
import { removeTree } from '../shared/tree.js';
import type { SlugArchive } from '../slugs/index.js';
import { followProgress, messageError, type Engine } from './engine.js';
import { LABEL } from './labels.js';
import { STACK_TAG, STACK_USER, STACK_VERSION } from './stack.js';

export interface SlugImageRequest {
  /** `SHA256:<hex>` of the slug archive. */
  checksum: string;
  /** The owner label (`homeLabel(home)`). */
  home: string;
  /** The image's default command (a user's `docker run IMAGE`): the web process, run the way dynos run it. */
  cmd: readonly string[] | null;
  /** Progress lines (`remote:` output of a deploy). */
  onLine?: (line: string) => void;
}

/** The image already made of this slug on this stack version, if any. */
async function existing(engine: Engine, checksum: string): Promise<string | null> {
  const images = await engine.listImages({
    filters: JSON.stringify({ label: [`${LABEL.slug}=${checksum}`, `io.cupaas.stack-version=${STACK_VERSION}`] }),
  });
  return images[0]?.Id ?? null;
}

/**
 * Makes the slug an OCI image: the stack image plus one layer holding the
 * slug's files at /app, owned by the stack's non-root user (Heroku's /app is
 * writable and ephemeral: a dyno's writes die with its container). The same
 * slug on the same stack is made once: a second call returns the first image.
 */
export async function imageFromSlug(engine: Engine, slugs: Pick<SlugArchive, 'extract'>, req: SlugImageRequest): Promise<string> {
  const found = await existing(engine, req.checksum);
  if (found) return found;
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-slug-image-'));
  try {
    await slugs.extract(req.checksum, join(dir, 'app'));
    const cmd = req.cmd ? `CMD ${JSON.stringify(req.cmd)}\n` : '';
    writeFileSync(
      join(dir, 'Dockerfile'),
      `FROM ${STACK_TAG}\nCOPY --chown=${STACK_USER} app/ /app/\nUSER ${STACK_USER}\nWORKDIR /app\n${cmd}`,
    );
    const context = tar().c({ cwd: dir, portable: true }, ['Dockerfile', 'app']);
    const stream = await engine.buildImage(context as unknown as NodeJS.ReadableStream, {
      labels: { [LABEL.home]: req.home, [LABEL.slug]: req.checksum, 'io.cupaas.stack-version': STACK_VERSION },
      forcerm: true,
    });
    let id: string | null = null;
    let failure: string | null = null;
    await followProgress(engine, stream, (m) => {
      if (m.aux?.ID) id = m.aux.ID;
      failure ??= messageError(m);
      m.stream?.split('\n').filter((l) => l.trim()).forEach((l) => req.onLine?.(l));
    });
    if (failure || !id) throw new Error(`making the slug image failed: ${failure ?? 'the engine reported no image id'}`);
    return id;
  } finally {
    await removeTree(dir);
  }
}
