/** Log sessions over the API of a real server: history, filters, SSE and live tails. */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
before(async () => {
  p = await startPlatform();
  assert.equal((await p.api('POST', '/apps', { name: 'log-app' })).status, 201);
  assert.equal((await p.api('PATCH', '/apps/log-app/config-vars', { FOO: 'bar' })).status, 200);
});
after(() => p.cleanup());

const session = async (body: Record<string, unknown>) => {
  const r = await p.api('POST', '/apps/log-app/log-sessions', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { id: string; logplex_url: string; created_at: string; updated_at: string };
};

/** One request to the router for the app (H14: no dynos), which logs a router line. */
const hitRouter = () =>
  new Promise<void>((resolve, reject) => {
    const req = request(p.routerUrl as string, { headers: { Host: 'log-app.localhost' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });

describe('log sessions', () => {
  it('returns a URL on the API port that streams recent lines without an API key', async () => {
    await hitRouter();
    const s = await session({ lines: 10 });
    assert.ok(s.id && s.created_at && s.updated_at);
    assert.ok(s.logplex_url.startsWith(p.apiUrl + '/'), s.logplex_url);
    const res = await fetch(s.logplex_url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const lines = (await res.text()).trimEnd().split('\n');
    const ts = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00';
    assert.ok(lines.some((l) => new RegExp(`^${ts} heroku\\[api\\]: Set FOO config vars by user admin@cupaas\\.local$`).test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => new RegExp(`^${ts} heroku\\[api\\]: Release v2 created by user admin@cupaas\\.local$`).test(l)));
    assert.ok(lines.some((l) => new RegExp(`^${ts} heroku\\[router\\]: at=error code=H14 `).test(l)));

    const wrong = new URL(s.logplex_url);
    wrong.searchParams.set('secret', 'guess');
    assert.equal((await fetch(wrong)).status, 404);
  });

  it('filters by source and limits the number of lines', async () => {
    const routerOnly = await (await fetch((await session({ source: 'router' })).logplex_url)).text();
    assert.ok(routerOnly.trim().split('\n').every((l) => l.includes(' heroku[router]: ')), routerOnly);
    const one = await (await fetch((await session({ lines: 1 })).logplex_url)).text();
    assert.equal(one.trim().split('\n').length, 1);
    assert.equal((await p.api('POST', '/apps/log-app/log-sessions', { lines: 5000 })).status, 422);
  });

  it('streams as server-sent events when asked', async () => {
    const s = await session({ lines: 2 });
    const res = await fetch(s.logplex_url, { headers: { Accept: 'text/event-stream' } });
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const events = (await res.text()).split('\n\n').filter(Boolean);
    assert.equal(events.length, 2);
    for (const e of events) assert.match(e, /^id: \d+\ndata: \S+ heroku\[\w+\]: .+$/);
  });

  it('keeps a tail open and delivers new lines as they happen', async () => {
    const s = await session({ lines: 0, tail: true });
    const ac = new AbortController();
    const res = await fetch(s.logplex_url, { signal: ac.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += Buffer.from(value).toString();
      }
    })().catch(() => {});
    await hitRouter();
    await waitFor(() => text.includes('heroku[router]: at=error code=H14'), { what: 'router line on the tail' });
    await p.api('PATCH', '/apps/log-app/config-vars', { BAR: 'baz' });
    await waitFor(() => text.includes('heroku[api]: Release v3 created'), { what: 'api line on the tail' });
    ac.abort();
    await pump;
  });
});
