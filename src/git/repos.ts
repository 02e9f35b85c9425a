import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from '../shared/process.js';
import { PRE_RECEIVE_JS } from './internal/hook-script.js';

/**
 * The bare repository of each app, under `$CUPAAS_HOME/repos/<appId>.git`
 * (by id, so a rename keeps it), with the cupaas pre-receive hook.
 */
export function createRepos(opts: { root: string; hostPath: string; nodePath: string }) {
  const path = (appId: string) => join(opts.root, `${appId}.git`);
  const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const hookSh = `#!/bin/sh\nexec ${shellQuote(opts.nodePath)} "$(dirname "$0")/cupaas-pre-receive.mjs"\n`;

  const writeIfChanged = (file: string, content: string) => {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== content) writeFileSync(file, content, { mode: 0o755 });
  };

  return {
    root: opts.root,
    path,
    /** Creates the app's bare repo on first use and (re)installs the hook. */
    async ensure(appId: string): Promise<string> {
      const dir = path(appId);
      if (!existsSync(join(dir, 'HEAD'))) {
        mkdirSync(opts.root, { recursive: true, mode: 0o700 });
        const env = { PATH: opts.hostPath, GIT_CONFIG_NOSYSTEM: '1', HOME: opts.root };
        await runChecked(['git', 'init', '--quiet', '--bare', dir], { env });
        // Pushes are authenticated by cupaas, so receive-pack may run for any REMOTE_USER.
        await runChecked(['git', '--git-dir', dir, 'config', 'http.receivepack', 'true'], { env });
      }
      writeIfChanged(join(dir, 'hooks', 'cupaas-pre-receive.mjs'), PRE_RECEIVE_JS);
      writeIfChanged(join(dir, 'hooks', 'pre-receive'), hookSh);
      return dir;
    },
    remove(appId: string): void {
      rmSync(path(appId), { recursive: true, force: true });
    },
  };
}

export type Repos = ReturnType<typeof createRepos>;
