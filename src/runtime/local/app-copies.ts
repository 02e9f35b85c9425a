import { mkdirSync } from 'node:fs';
import { runChecked } from '../../shared/process.js';
import { createOnceDirs } from './files.js';

/** Who owns a dyno's files (the sandbox's dyno user); the server's own user when absent. */
export interface AppOwner {
  uid: number;
  gid: number;
}

/** Templates (one build each, however many first dynos of a release start at once). */
const once = createOnceDirs();

/**
 * A writable copy of the read-only release dir, made once per release and
 * owner next to it (`<sha>.rw`, `<sha>.rw-<uid>`) and never written to after.
 */
function template(releaseDir: string, owner: AppOwner | undefined): Promise<string> {
  return once(`${releaseDir}.rw${owner ? `-${owner.uid}` : ''}`, async (tmp) => {
    mkdirSync(tmp);
    await runChecked(['cp', '-a', `${releaseDir}/.`, tmp]);
    if (owner) await runChecked(['chown', '-R', `${owner.uid}:${owner.gid}`, tmp]);
    await runChecked(['chmod', '-R', 'u+w', tmp]);
  });
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
