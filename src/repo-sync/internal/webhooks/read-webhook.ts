import type { IncomingHttpHeaders } from 'node:http';
import { PROVIDERS, type HookEvent, type ProviderName, type RefChange } from './providers.js';

/** What a verified event means for the connected branch. */
type Decision =
  | { action: 'pong' }
  /** The branch moved; the payload's sha is only a hint, the fetched head is what deploys. */
  | { action: 'sync'; sha: string }
  | { action: 'ignore'; reason: string };

/** What a webhook request asks for, once authenticated and read. */
export type WebhookOutcome = { provider: ProviderName } & (
  | { action: 'unauthorized' }
  | { action: 'malformed'; reason: string }
  | Decision
);

/**
 * Authenticates a webhook against the app's secret and decides what it means
 * for the connected branch. Pure: no I/O, so every provider format is tested
 * as a table.
 */
export function readWebhook(
  headers: IncomingHttpHeaders,
  body: Buffer,
  secret: string,
  branch: string,
): WebhookOutcome {
  const provider = PROVIDERS.find((p) => p.matches(headers)) as (typeof PROVIDERS)[number];
  if (!provider.verify(headers, body, secret)) return { provider: provider.name, action: 'unauthorized' };
  let event: HookEvent;
  try {
    event = provider.read(headers, body);
  } catch (e) {
    const reason = e instanceof SyntaxError ? 'body is not JSON' : 'body is not a push payload this format defines';
    return { provider: provider.name, action: 'malformed', reason };
  }
  return { provider: provider.name, ...decide(event, branch) };
}

function decide(event: HookEvent, branch: string): Decision {
  if (event.kind === 'ping') return { action: 'pong' };
  if (event.kind === 'other') return { action: 'ignore', reason: `${event.event} events do not deploy` };
  const ours = `refs/heads/${branch}`;
  const mine = event.changes.filter((c) => c.ref === ours);
  const pushed = mine.find((c) => c.after !== null);
  if (pushed) return { action: 'sync', sha: pushed.after as string };
  if (mine.length) return { action: 'ignore', reason: `branch ${branch} was deleted; the running release stays` };
  return { action: 'ignore', reason: describeOthers(event.changes, branch) };
}

function describeOthers(changes: readonly RefChange[], branch: string): string {
  const first = changes[0];
  if (!first) return 'the push changed no refs';
  if (first.ref.startsWith('refs/tags/')) return `tag pushes do not deploy (tag ${first.ref.slice(10)})`;
  const name = first.ref.replace(/^refs\/heads\//, '');
  return `push to ${name}, not to the connected branch ${branch}`;
}
