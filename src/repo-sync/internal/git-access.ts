import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredCredential } from './credential.js';
import type { RepoUrl } from './repo-url.js';

export interface GitAccessPaths {
  /** Private (0700) directory for the deploy key file while git runs. */
  tmpDir: string;
  /** Host keys learned on first contact (accept-new), kept across runs. */
  knownHosts: string;
  /** PATH for git and ssh. */
  hostPath: string;
}

export interface GitAccess {
  env: NodeJS.ProcessEnv;
  /** Values that must never appear in anything shown or logged. */
  secrets: readonly string[];
}

/** Quotes for the shell git runs GIT_SSH_COMMAND through; git offers no argv form with arguments. */
const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `fn` with the environment git needs to reach a connected repository:
 * only file, http(s) and ssh transports, no host or user git config, no
 * prompts, and the credential passed out of band (an HTTP header scoped to the
 * repository's origin, or a deploy key file that exists only meanwhile).
 */
export async function withGitAccess<T>(
  repo: RepoUrl,
  credential: StoredCredential | null,
  paths: GitAccessPaths,
  fn: (access: GitAccess) => Promise<T>,
): Promise<T> {
  const config: Array<[string, string]> = [
    ['protocol.ext.allow', 'never'],
    ['credential.helper', ''],
  ];
  const env: NodeJS.ProcessEnv = {
    PATH: paths.hostPath,
    LANG: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: 'file:http:https:ssh',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
  const secrets: string[] = [];
  let keyDir: string | null = null;
  try {
    if (credential?.type === 'token' && repo.httpOrigin) {
      const basic = Buffer.from(`${credential.username}:${credential.token}`).toString('base64');
      config.push([`http.${repo.httpOrigin}.extraHeader`, `Authorization: Basic ${basic}`]);
      secrets.push(credential.token, basic);
    }
    let identity: string[] = [];
    if (credential?.type === 'ssh-key' && repo.kind === 'ssh') {
      keyDir = await mkdtemp(join(paths.tmpDir, 'key-'));
      const keyFile = join(keyDir, 'deploy_key');
      await writeFile(keyFile, credential.privateKey, { mode: 0o600 });
      identity = ['-i', keyFile, '-o', 'IdentitiesOnly=yes'];
    }
    env.GIT_SSH_COMMAND = ['ssh', '-F', '/dev/null', ...identity, '-o', 'BatchMode=yes',
      '-o', 'StrictHostKeyChecking=accept-new', '-o', `UserKnownHostsFile=${paths.knownHosts}`]
      .map(shQuote)
      .join(' ');
    env.GIT_CONFIG_COUNT = String(config.length);
    config.forEach(([k, v], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = k;
      env[`GIT_CONFIG_VALUE_${i}`] = v;
    });
    return await fn({ env, secrets });
  } finally {
    if (keyDir) await rm(keyDir, { recursive: true, force: true });
  }
}

/** Removes secrets and any `user:password@` from text before it is shown or logged. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]*:[^/\s@]*@/gi, '$1***@');
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}
