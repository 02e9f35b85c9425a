import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import { readWebhook } from './read-webhook.js';

const SECRET = 'w3bh00k-secret';
const SHA = 'a'.repeat(40);
const ZERO = '0'.repeat(40);
const hmac = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

/** How each provider signs a body, and the event headers of a push and a ping. */
const PROVIDERS = {
  github: {
    sign: (b: string, s?: string) => ({ 'x-hub-signature-256': `sha256=${hmac(b, s)}` }),
    push: { 'x-github-event': 'push' },
    ping: { 'x-github-event': 'ping' } as IncomingHttpHeaders | null,
  },
  gitlab: {
    sign: (_b: string, s = SECRET) => ({ 'x-gitlab-token': s }),
    push: { 'x-gitlab-event': 'Push Hook' },
    ping: null,
  },
  gitea: {
    sign: (b: string, s?: string) => ({ 'x-gitea-signature': hmac(b, s) }),
    push: { 'x-gitea-event': 'push' },
    ping: null,
  },
  forgejo: {
    sign: (b: string, s?: string) => ({ 'x-forgejo-signature': hmac(b, s) }),
    push: { 'x-forgejo-event': 'push' },
    ping: null,
  },
  bitbucket: {
    sign: (b: string, s?: string) => ({ 'x-hub-signature': `sha256=${hmac(b, s)}` }),
    push: { 'x-event-key': 'repo:push' },
    ping: { 'x-event-key': 'diagnostics:ping' },
  },
  generic: {
    sign: (b: string, s?: string) => ({ 'x-cupaas-signature': `sha256=${hmac(b, s)}` }),
    push: {},
    ping: null,
  },
} satisfies Record<string, { sign(b: string, s?: string): IncomingHttpHeaders; push: IncomingHttpHeaders; ping: IncomingHttpHeaders | null }>;

type Name = keyof typeof PROVIDERS;

/** A push of one ref in the provider's payload format (`after` null = deletion). */
function pushBody(name: Name, ref: string, after: string | null): string {
  if (name !== 'bitbucket') return JSON.stringify({ ref, before: 'b'.repeat(40), after: after ?? ZERO, repository: {} });
  const [, kind, ...rest] = ref.split('/');
  const r = (hash: string) => ({ type: kind === 'tags' ? 'tag' : 'branch', name: rest.join('/'), target: { hash } });
  return JSON.stringify({ push: { changes: [{ new: after ? r(after) : null, old: r('c'.repeat(40)) }] } });
}

function send(name: Name, body: string, sign: 'good' | 'bad' | 'missing', event: 'push' | 'ping' = 'push') {
  const p = PROVIDERS[name];
  const signature = sign === 'good' ? p.sign(body) : sign === 'bad' ? p.sign(body, 'wrong-secret') : {};
  const headers = { 'content-type': 'application/json', ...(event === 'push' ? p.push : p.ping), ...signature };
  return readWebhook(headers, Buffer.from(body), SECRET, 'main');
}

describe('webhook signatures', () => {
  for (const name of Object.keys(PROVIDERS) as Name[]) {
    it(`${name}: a good signature passes; a wrong or missing one is unauthorized`, () => {
      const body = pushBody(name, 'refs/heads/main', SHA);
      const good = send(name, body, 'good');
      assert.equal(good.provider, name === 'forgejo' ? 'gitea' : name);
      assert.deepEqual({ ...good, provider: undefined }, { provider: undefined, action: 'sync', sha: SHA });
      assert.equal(send(name, body, 'bad').action, 'unauthorized');
      assert.equal(send(name, body, 'missing').action, 'unauthorized');
    });
  }

  it('a signature over another body is unauthorized (the body was tampered with)', () => {
    const signed = pushBody('github', 'refs/heads/main', SHA);
    const sent = pushBody('github', 'refs/heads/main', 'd'.repeat(40));
    const headers = { 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmac(signed)}` };
    assert.equal(readWebhook(headers, Buffer.from(sent), SECRET, 'main').action, 'unauthorized');
  });

  it('accepts upper-case hex and rejects a signature of another length', () => {
    const body = pushBody('github', 'refs/heads/main', SHA);
    const upper = { 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmac(body).toUpperCase()}` };
    assert.equal(readWebhook(upper, Buffer.from(body), SECRET, 'main').action, 'sync');
    const short = { 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmac(body).slice(0, 10)}` };
    assert.equal(readWebhook(short, Buffer.from(body), SECRET, 'main').action, 'unauthorized');
    const sha1 = { 'x-github-event': 'push', 'x-hub-signature-256': `sha1=${hmac(body)}` };
    assert.equal(readWebhook(sha1, Buffer.from(body), SECRET, 'main').action, 'unauthorized');
  });
});

describe('webhook payloads', () => {
  for (const name of Object.keys(PROVIDERS) as Name[]) {
    it(`${name}: other branches, tags and deletions are ignored with a reason`, () => {
      const other = send(name, pushBody(name, 'refs/heads/feature', SHA), 'good');
      assert.equal(other.action, 'ignore');
      assert.match((other as { reason: string }).reason, /feature/);
      const tag = send(name, pushBody(name, 'refs/tags/v1.0', SHA), 'good');
      assert.equal(tag.action, 'ignore');
      assert.match((tag as { reason: string }).reason, /tag/);
      const deleted = send(name, pushBody(name, 'refs/heads/main', null), 'good');
      assert.equal(deleted.action, 'ignore');
      assert.match((deleted as { reason: string }).reason, /deleted/);
      const prefix = send(name, pushBody(name, 'refs/heads/main-2', SHA), 'good');
      assert.equal(prefix.action, 'ignore');
    });
  }

  it('ping events answer pong, once verified', () => {
    for (const name of ['github', 'bitbucket'] as const) {
      assert.equal(send(name, '{"zen":"hi"}', 'good', 'ping').action, 'pong', name);
      assert.equal(send(name, '{"zen":"hi"}', 'missing', 'ping').action, 'unauthorized', name);
    }
  });

  it('GitHub deletions flagged only by `deleted: true` are ignored', () => {
    const body = JSON.stringify({ ref: 'refs/heads/main', after: SHA, deleted: true });
    const r = readWebhook({ 'x-github-event': 'push', ...PROVIDERS.github.sign(body) }, Buffer.from(body), SECRET, 'main');
    assert.equal(r.action, 'ignore');
  });

  it('other event types are acknowledged and ignored', () => {
    const body = '{"action":"opened"}';
    const r = readWebhook({ 'x-github-event': 'pull_request', ...PROVIDERS.github.sign(body) }, Buffer.from(body), SECRET, 'main');
    assert.deepEqual(r, { provider: 'github', action: 'ignore', reason: 'pull_request events do not deploy' });
    const gl = readWebhook({ 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-token': SECRET }, Buffer.from(body), SECRET, 'main');
    assert.equal(gl.action, 'ignore');
  });

  it('Bitbucket pushes of several refs deploy when one of them is the branch', () => {
    const ref = (name: string, hash: string) => ({ type: 'branch', name, target: { hash } });
    const body = JSON.stringify({ push: { changes: [{ new: ref('dev', 'd'.repeat(40)) }, { new: ref('main', SHA), old: null }] } });
    assert.deepEqual(send('bitbucket', body, 'good'), { provider: 'bitbucket', action: 'sync', sha: SHA });
  });

  it('verified bodies that are not JSON or not a push are malformed', () => {
    assert.equal(send('github', 'not json', 'good').action, 'malformed');
    assert.equal(send('generic', '{"after":"abc"}', 'good').action, 'malformed');
    assert.equal(send('bitbucket', '{"push":{}}', 'good').action, 'malformed');
  });

  it('a GitLab token is compared whole, not as a prefix', () => {
    const body = pushBody('gitlab', 'refs/heads/main', SHA);
    const r = readWebhook({ 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': SECRET.slice(0, 5) }, Buffer.from(body), SECRET, 'main');
    assert.equal(r.action, 'unauthorized');
  });
});
