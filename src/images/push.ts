import { followProgress, messageError, type Engine } from './engine.js';

/** Credentials for a registry that wants them (an outside one such as Docker Hub). */
export interface RegistryAuth {
  username: string;
  password: string;
}

/** What a pushed tag resolves to. */
export interface PushedTag {
  /** `HOST/REPO:TAG`. */
  ref: string;
  /** The manifest digest the registry stored (`sha256:...`): `docker pull HOST/REPO@DIGEST` gets the same image. */
  digest: string;
}

/**
 * Tags the image `HOST/REPO:TAG` and pushes it. Layers the registry has
 * already (every release of a slug, and the stack under all of them) are not
 * sent again, so tagging a config release is cheap.
 */
export async function pushTag(
  engine: Engine,
  imageId: string,
  target: { host: string; repo: string; tag: string },
  auth: RegistryAuth | null,
): Promise<PushedTag> {
  const repo = `${target.host}/${target.repo}`;
  await engine.getImage(imageId).tag({ repo, tag: target.tag });
  const stream = await engine.getImage(repo).push({
    tag: target.tag,
    ...(auth ? { authconfig: { ...auth, serveraddress: target.host } } : {}),
  });
  let digest: string | null = null;
  let failure: string | null = null;
  await followProgress(engine, stream, (m) => {
    if (m.aux?.Digest) digest = m.aux.Digest;
    failure ??= messageError(m);
  });
  if (failure || !digest) throw new Error(`pushing ${repo}:${target.tag} failed: ${failure ?? 'no digest reported'}`);
  return { ref: `${repo}:${target.tag}`, digest };
}
