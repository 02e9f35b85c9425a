/**
 * The official `heroku` CLI from npm, installed for a test run into a temp
 * directory (npm's cache makes later runs quick) and pointed at a test
 * platform with offline settings: no update checks, analytics or telemetry.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/shared/process.js';
import type { CliResult } from './cli.js';
import type { TestPlatform } from './platform.js';
import { tempDir } from './temp.js';

/** The major version whose protocol cupaas follows (see docs/design/012). */
const HEROKU_CLI = 'heroku@11';

/**
 * Installs the CLI; resolves with its entry script, or with the reason it cannot be had here.
 * `CUPAAS_TEST_HEROKU_PREFIX` names an npm prefix where it is installed already (a CI cache).
 */
export async function installHerokuCli(): Promise<{ bin: string } | { skip: string }> {
  const reuse = process.env.CUPAAS_TEST_HEROKU_PREFIX;
  if (reuse && existsSync(entry(reuse))) return { bin: entry(reuse) };
  const prefix = tempDir('cupaas-heroku-cli');
  const r = await run(['npm', 'install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', prefix, HEROKU_CLI], {
    env: { ...process.env, npm_config_update_notifier: 'false' }, timeout: 540_000,
  });
  const bin = entry(prefix);
  if (r.code !== 0 || !existsSync(bin)) return { skip: `npm could not install ${HEROKU_CLI}: ${r.stderr.trim().slice(0, 300)}` };
  return { bin };
}

const entry = (prefix: string) => join(prefix, 'node_modules', 'heroku', 'bin', 'run.js');

/** The environment that points the CLI at the platform, trusts its CA and keeps it offline. */
export function herokuEnv(p: TestPlatform): NodeJS.ProcessEnv {
  return {
    ...p.clientEnv(),
    HEROKU_HOST: p.apiUrl,
    HEROKU_API_KEY: p.apiKey,
    NODE_EXTRA_CA_CERTS: join(p.home, 'tls', 'ca.pem'),
    HEROKU_SKIP_NEW_VERSION_CHECK: 'true',
    HEROKU_SKIP_ANALYTICS: '1',
    DISABLE_TELEMETRY: 'true',
    HIDE_HEROKU_RELEASE_NOTES: 'true',
    HEROKU_UPDATE_INSTRUCTIONS: 'none',
    XDG_CACHE_HOME: join(p.userHome, '.cache'),
    XDG_CONFIG_HOME: join(p.userHome, '.config'),
    XDG_DATA_HOME: join(p.userHome, '.local', 'share'),
  };
}

/** Runs `heroku ARGS` with stdin at its end, as in a script. */
export function heroku(bin: string, p: TestPlatform, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: herokuEnv(p), cwd: p.userHome, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}
