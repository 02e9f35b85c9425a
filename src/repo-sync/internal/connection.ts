import type { App, RepoConnection } from '../../domain/index.js';
import { invalid } from '../../shared/errors.js';
import { isGitBranchName } from '../../shared/git-ref.js';
import { newSecret } from '../../shared/ids.js';
import { isoTime } from '../../shared/time.js';
import { checkFileRepo, type FileRepoPolicy } from './file-access.js';
import { encodeCredential, type StoredCredential } from './credential.js';
import { parseRepoUrl, type RepoUrl } from './repo-url.js';

export const DEFAULT_POLL_INTERVAL = 60;
export const MAX_POLL_INTERVAL = 24 * 60 * 60;

export type CredentialInput =
  | { type: 'token'; token: string; username?: string }
  | { type: 'ssh-key'; generate: true };

export interface ConnectInput {
  url: string;
  branch: string;
  /** Seconds; 0 turns polling off (webhooks only). Default 60. */
  pollInterval?: number;
  credential?: CredentialInput | null;
}

/** How a connection authenticates, as shown to users: never the secret itself. */
export type CredentialKind = 'token' | 'ssh-key' | null;

export function credentialKind(c: Pick<RepoConnection, 'credential' | 'sshPublicKey'>): CredentialKind {
  if (c.credential === null) return null;
  return c.sshPublicKey ? 'ssh-key' : 'token';
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

function checkCredentialFits(repo: RepoUrl, credential: CredentialInput): void {
  if (credential.type === 'ssh-key' && repo.kind !== 'ssh') {
    throw invalid('A deploy key works with ssh:// or git@host:path URLs only; use a token for https:// URLs.');
  }
  if (credential.type === 'token') {
    if (repo.kind !== 'https' && repo.kind !== 'http') {
      throw invalid('A token works with https:// URLs only; use a deploy key (`--ssh-key`) for SSH URLs.');
    }
    const host = new URL(repo.url).host.replace(/:\d+$/, '');
    if (repo.kind === 'http' && !LOOPBACK.test(host)) {
      throw invalid('A token would cross the network unencrypted over http://; use the https:// URL.');
    }
  }
}

/**
 * Validates a connect request and builds the connection to store. A new
 * connection deploys the branch head at once, so the last seen sha starts
 * empty; the webhook secret survives reconnects so configured hooks keep working.
 */
export async function buildConnection(
  app: App,
  input: ConnectInput,
  existing: RepoConnection | undefined,
  generateKey: () => Promise<{ privateKey: string; publicKey: string }>,
  files: FileRepoPolicy,
): Promise<RepoConnection> {
  const repo = parseRepoUrl(input.url);
  checkFileRepo(repo, files);
  if (!isGitBranchName(input.branch)) {
    throw invalid(`Invalid branch name "${input.branch}": git does not accept it (see \`git help check-ref-format\`).`);
  }
  const pollInterval = input.pollInterval ?? DEFAULT_POLL_INTERVAL;
  if (!Number.isInteger(pollInterval) || pollInterval < 0 || pollInterval > MAX_POLL_INTERVAL) {
    throw invalid(`Poll interval must be 0 (off) or 1 to ${MAX_POLL_INTERVAL} seconds.`);
  }
  let credential: StoredCredential | null = null;
  let sshPublicKey: string | null = null;
  if (input.credential) {
    checkCredentialFits(repo, input.credential);
    if (input.credential.type === 'token') {
      if (!input.credential.token) throw invalid('The token must not be empty.');
      const username = input.credential.username || 'x-access-token';
      credential = { type: 'token', username, token: input.credential.token };
    } else {
      const key = await generateKey();
      credential = { type: 'ssh-key', privateKey: key.privateKey };
      sshPublicKey = key.publicKey;
    }
  }
  const t = isoTime();
  return {
    appId: app.id,
    url: repo.url,
    branch: input.branch,
    pollInterval,
    credential: credential && encodeCredential(credential),
    sshPublicKey,
    webhookSecret: existing?.webhookSecret ?? newSecret(),
    lastSeenSha: null,
    lastError: null,
    lastCheckedAt: null,
    createdAt: existing?.createdAt ?? t,
    updatedAt: t,
  };
}
