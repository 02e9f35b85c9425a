import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { runChecked } from '../../shared/process.js';

/**
 * What the store keeps (encrypted) in a connection's credential column. JSON,
 * so the kind of credential travels with it.
 */
const StoredCredential = z.lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('token'), username: z.string(), token: z.string() }),
  z.object({ type: z.literal('ssh-key'), privateKey: z.string() }),
]));
export type StoredCredential = z.infer<typeof StoredCredential>;

export const encodeCredential = (c: StoredCredential): string => JSON.stringify(c);

export function decodeCredential(sealed: string | null): StoredCredential | null {
  return sealed === null ? null : StoredCredential.parse(JSON.parse(sealed));
}

/**
 * Creates an ed25519 deploy key pair with ssh-keygen in a private temporary
 * directory, and removes the files: the private key lives only in the store.
 */
export async function generateDeployKey(
  tmpRoot: string,
  comment: string,
  env: NodeJS.ProcessEnv,
): Promise<{ privateKey: string; publicKey: string }> {
  const dir = await mkdtemp(join(tmpRoot, 'keygen-'));
  try {
    const path = join(dir, 'id_ed25519');
    await runChecked(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { env, timeout: 30_000 });
    const [privateKey, publicKey] = await Promise.all([readFile(path, 'utf8'), readFile(path + '.pub', 'utf8')]);
    return { privateKey, publicKey: publicKey.trim() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
