import type { IncomingHttpHeaders } from 'node:http';
import * as z from 'zod';
import { header, safeEqual, verifyHexHmac, verifyPrefixedHmac } from './signature.js';

/** A ref a push changed; `after` is null when the push deleted it. */
export interface RefChange {
  ref: string;
  after: string | null;
}

export type HookEvent =
  | { kind: 'ping' }
  | { kind: 'push'; changes: readonly RefChange[] }
  | { kind: 'other'; event: string };

export type ProviderName = 'github' | 'gitlab' | 'gitea' | 'bitbucket' | 'generic';

/** One git host's webhook format: how to recognize, authenticate and read it. */
export interface WebhookProvider {
  name: ProviderName;
  matches(headers: IncomingHttpHeaders): boolean;
  /** Whether the request carries a valid proof of the app's webhook secret. */
  verify(headers: IncomingHttpHeaders, body: Buffer, secret: string): boolean;
  /** Reads a verified request; throws a ZodError or SyntaxError on a malformed body. */
  read(headers: IncomingHttpHeaders, body: Buffer): HookEvent;
}

const ZERO_SHA = /^0+$/;

/** The `{ref, after}` push shape GitHub, GitLab, Gitea and the generic format share. */
const RefPush = z.lazy(() => z.object({ ref: z.string().min(1), after: z.string().optional(), deleted: z.boolean().optional() }));

function refPush(body: Buffer): HookEvent {
  const p = RefPush.parse(JSON.parse(body.toString('utf8')));
  const deleted = p.deleted === true || !p.after || ZERO_SHA.test(p.after);
  return { kind: 'push', changes: [{ ref: p.ref, after: deleted ? null : (p.after as string) }] };
}

const BitbucketRef = z.lazy(() => z.object({ type: z.string(), name: z.string(), target: z.object({ hash: z.string() }).optional() }));
const BitbucketPush = z.lazy(() => z.object({
  push: z.object({
    changes: z.array(z.object({ new: BitbucketRef.nullable().optional(), old: BitbucketRef.nullable().optional() })),
  }),
}));

/** Bitbucket names refs by type and name; a deletion has `new: null` and the ref under `old`. */
function bitbucketPush(body: Buffer): HookEvent {
  const p = BitbucketPush.parse(JSON.parse(body.toString('utf8')));
  const changes = p.push.changes.flatMap((c): RefChange[] => {
    const ref = c.new ?? c.old;
    if (!ref) return [];
    const prefix = ref.type === 'tag' ? 'refs/tags/' : ref.type === 'branch' ? 'refs/heads/' : `refs/${ref.type}/`;
    return [{ ref: prefix + ref.name, after: c.new?.target?.hash ?? null }];
  });
  return { kind: 'push', changes };
}

const github: WebhookProvider = {
  name: 'github',
  matches: (h) => header(h, 'x-github-event') !== undefined,
  verify: (h, body, secret) => verifyPrefixedHmac(header(h, 'x-hub-signature-256'), secret, body),
  read(h, body) {
    const event = header(h, 'x-github-event') as string;
    if (event === 'ping') return { kind: 'ping' };
    return event === 'push' ? refPush(body) : { kind: 'other', event };
  },
};

/** GitLab sends the secret itself as a token rather than signing the body. */
const gitlab: WebhookProvider = {
  name: 'gitlab',
  matches: (h) => header(h, 'x-gitlab-event') !== undefined,
  verify: (h, _body, secret) => {
    const token = header(h, 'x-gitlab-token');
    return token !== undefined && safeEqual(token, secret);
  },
  read(h, body) {
    const event = header(h, 'x-gitlab-event') as string;
    return event === 'Push Hook' || event === 'Tag Push Hook' ? refPush(body) : { kind: 'other', event };
  },
};

/** Forgejo sends its own headers next to Gitea's; either name is accepted. */
const gitea: WebhookProvider = {
  name: 'gitea',
  matches: (h) => header(h, 'x-gitea-event') !== undefined || header(h, 'x-forgejo-event') !== undefined,
  verify: (h, body, secret) =>
    verifyHexHmac(header(h, 'x-gitea-signature') ?? header(h, 'x-forgejo-signature'), secret, body),
  read(h, body) {
    const event = (header(h, 'x-forgejo-event') ?? header(h, 'x-gitea-event')) as string;
    return event === 'push' ? refPush(body) : { kind: 'other', event };
  },
};

const bitbucket: WebhookProvider = {
  name: 'bitbucket',
  matches: (h) => header(h, 'x-event-key') !== undefined,
  verify: (h, body, secret) => verifyPrefixedHmac(header(h, 'x-hub-signature'), secret, body),
  read(h, body) {
    const event = header(h, 'x-event-key') as string;
    if (event === 'diagnostics:ping') return { kind: 'ping' };
    return event === 'repo:push' ? bitbucketPush(body) : { kind: 'other', event };
  },
};

/** Any sender that can sign a `{ref, after}` body (CI jobs, scripts). */
const generic: WebhookProvider = {
  name: 'generic',
  matches: () => true,
  verify: (h, body, secret) => verifyPrefixedHmac(header(h, 'x-cupaas-signature'), secret, body),
  read: (_h, body) => refPush(body),
};

/**
 * In detection order: Gitea and Forgejo also send GitHub-style headers, so
 * they are recognized first; the generic format takes whatever is left.
 */
export const PROVIDERS: readonly WebhookProvider[] = [gitea, github, gitlab, bitbucket, generic];
