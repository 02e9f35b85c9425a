import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { newId } from '../../shared/ids.js';
import { runChecked } from '../../shared/process.js';
import { removeTree } from './files.js';

/** Who owns a dyno's files (the sandbox's dyno user); the server's own user when absent. */
export interface AppOwner {
  uid: number;
  gid: number;
}

/** Templates being made, by path: concurrent first dynos of a release wait for one copy instead of racing. */
const pending = new Map<string, Promise<string>>();

/**
 * A writable copy of the read-only release dir, made once per release and
 * owner next to it (`<sha>.rw`, `<sha>.rw-<uid>`) and never written to after.
 */
function template(releaseDir: string, owner: AppOwner | undefined): Promise<string> {
  const dest = `${releaseDir}.rw${owner ? `-${owner.uid}` : ''}`;
  if (existsSync(dest)) return Promise.resolve(dest);
  let p = pending.get(dest);
  if (!p) {
    p = make(releaseDir, dest, owner).finally(() => pending.delete(dest));
    pending.set(dest, p);
  }
  return p;
}

async function make(releaseDir: string, dest: string, owner: AppOwner | undefined): Promise<string> {
  const tmp = join(dirname(dest), `.tmp-${basename(dest)}-${newId()}`);
  try {
    mkdirSync(tmp);
    await runChecked(['cp', '-a', `${releaseDir}/.`, tmp]);
    if (owner) await runChecked(['chown', '-R', `${owner.uid}:${owner.gid}`, tmp]);
    await runChecked(['chmod', '-R', 'u+w', tmp]);
    renameSync(tmp, dest);
    return dest;
  } finally {
    await removeTree(tmp);
  }
}

/**
 * Fills `appDir` with the dyno's private, writable copy of the release: one
 * `cp -a` of a template that already has the dyno's owner and write bits,
 * instead of a copy followed by `chown -R` and `chmod -R` walks of the whole
 * tree for every dyno (issue 17: a scale-out starts many dynos at once).
 */
export async function copyApp(releaseDir: string, appDir: string, owner?: AppOwner): Promise<void> {
  const from = await template(releaseDir, owner);
  mkdirSync(appDir, { recursive: true });
  await runChecked(['cp', '-a', `${from}/.`, appDir]);
}
