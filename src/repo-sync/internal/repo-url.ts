import { invalid } from '../../shared/errors.js';

export type RepoUrlKind = 'https' | 'http' | 'ssh' | 'file';

export interface RepoUrl {
  kind: RepoUrlKind;
  /** The URL exactly as the user gave it (trimmed); it never holds a password. */
  url: string;
  /** `https://host[:port]/` for HTTP(S) remotes: the scope of the token header. */
  httpOrigin: string | null;
}

const ACCEPTED = 'Use https://, http://, ssh://, scp-style git@host:path, or file:// URLs.';

/** `[user@]host:path`, as git reads it when there is no `scheme://` and no `/` before the colon. */
const SCP_STYLE = /^(?:([A-Za-z0-9._-]+)@)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(?!\/\/)(.+)$/;

/**
 * Validates a repository URL strictly, so no value can make git run a
 * transport helper (`ext::sh -c ...`), read an option (`-oProxyCommand=`) or
 * reach a protocol other than file, http(s) and ssh.
 */
export function parseRepoUrl(raw: string): RepoUrl {
  const url = raw.trim();
  if (!url || url.length > 2048) throw invalid('Repository URL must be 1 to 2048 characters long.');
  if (url.startsWith('-')) throw invalid(`Repository URL must not start with "-". ${ACCEPTED}`);
  // git reads `<transport>::<address>` as "run git-remote-<transport>" (ext:: runs any command).
  if (/^[A-Za-z0-9+.-]*::/.test(url)) throw invalid(`Git transport helpers ("transport::address") are not allowed. ${ACCEPTED}`);
  if (/[\s\x00-\x1f\x7f]/.test(url)) throw invalid('Repository URL must not contain spaces or control characters.');
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url)) return scpStyle(url);

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`The repository URL is not a valid URL. ${ACCEPTED}`);
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (parsed.password) {
    throw invalid('Do not put a password or token in the URL; pass it as a credential (`--token`) instead.');
  }
  switch (scheme) {
    case 'https':
    case 'http':
      if (parsed.username) throw invalid('Do not put a user name in the URL; pass a credential (`--token`) instead.');
      requireHost(parsed);
      return { kind: scheme, url, httpOrigin: `${parsed.protocol}//${parsed.host}/` };
    case 'ssh':
      requireHost(parsed);
      if (parsed.username.startsWith('-')) throw invalid('SSH user names must not start with "-".');
      return { kind: 'ssh', url, httpOrigin: null };
    case 'file':
      if (parsed.host && parsed.host !== 'localhost') throw invalid('file:// URLs must name a path on this machine.');
      if (parsed.pathname.length < 2) throw invalid('file:// URLs must name a repository path.');
      return { kind: 'file', url, httpOrigin: null };
    default:
      throw invalid(`The ${scheme}:// scheme is not supported. ${ACCEPTED}`);
  }
}

function requireHost(parsed: URL): void {
  if (!parsed.hostname) throw invalid(`The URL must name a host. ${ACCEPTED}`);
  if (parsed.hostname.startsWith('-')) throw invalid('Host names must not start with "-".');
}

function scpStyle(url: string): RepoUrl {
  const m = SCP_STYLE.exec(url);
  const user = m?.[1];
  const host = m?.[2];
  const path = m?.[3];
  if (!m || !host || !path || host.startsWith('-') || user?.startsWith('-') || path.startsWith('-')) {
    throw invalid(`The repository URL is not one git can use. ${ACCEPTED}`);
  }
  return { kind: 'ssh', url, httpOrigin: null };
}
