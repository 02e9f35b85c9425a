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
 * owner next to it (`<sha>.rw`, `<sha>.rw-<uid>`) and never written to after:
 * it already has the dyno's owner and write bits, so each dyno's copy is a
 * single `cp -a` instead of a copy followed by `chown -R` and `chmod -R` walks.
 */
export function appTemplate(releaseDir: string, owner?: AppOwner): Promise<string> {
  return once(`${releaseDir}.rw${owner ? `-${owner.uid}` : ''}`, async (tmp) => {
    mkdirSync(tmp);
    await runChecked(['cp', '-a', `${releaseDir}/.`, tmp]);
    if (owner) await runChecked(['chown', '-R', `${owner.uid}:${owner.gid}`, tmp]);
    await runChecked(['chmod', '-R', 'u+w', tmp]);
  });
}

/**
 * Copies the template into the dyno's app dir, enters it and execs the rest.
 * A constant script with the paths as arguments; programs by absolute path,
 * since it may run as root before the sandbox with the dyno's environment.
 */
const COPY_THEN_EXEC = '/bin/cp -a -- "$1/." "$2" || exit; cd -- "$2" || exit; shift 2; exec "$@"';

/**
 * argv that first fills `appDir` with the dyno's private, writable copy of the
 * release (from its template) and then runs `argv` there. The copy is the
 * dyno's own first step, not a program the server starts and waits for before
 * starting the dyno: each program the server starts costs it a fork of its
 * whole process, and a scale-out starts many dynos at once (issue 17). A copy
 * that fails ends the dyno with cp's status and message in its output.
 */
export const withAppCopy = (template: string, appDir: string, argv: readonly string[]): string[] => [
  '/bin/sh', '-c', COPY_THEN_EXEC, 'dyno-copy', template, appDir, ...argv,
];
