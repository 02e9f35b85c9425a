/**
 * The behaviour every router data plane must have, run through the real
 * control plane against real HTTP backends on loopback.
 */
import assert from 'node:assert/strict';
import { Agent, get as httpGet, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test as nodeTest } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { waitFor } from '../shared/wait.js';
import {
  closedPort, echoHandler, startBackend, startRawBackend, startRouterFixture, type RouterFixture, type TestBackend,
} from '../../test/support/router-fixtures.js';
import { DATA_PLANES } from '../../test/support/data-planes.js';

for (const [planeName, { factory, skip, cases = {}, settled = async () => {} }] of DATA_PLANES) {
  describe(`data plane contract: ${planeName}`, { skip }, () => {
    const test = (name: string, fn: () => Promise<void>) => nodeTest(name, { skip: cases[name] ?? false }, fn);
    /** The app's router lines once there are `count`: a data plane outside Node reports them a moment after the response. */
    const lines = (appId: string, count = 1) =>
      waitFor(() => fx.routerLines(appId).length >= count && fx.routerLines(appId), { what: `${count} router log lines` });
    const lastLine = async (appId: string) => (await lines(appId)).at(-1) ?? '';
    let fx: RouterFixture;
    /** Sends raw bytes to the router and resolves with everything it answers until it closes. */
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const s = connect(fx.port, '127.0.0.1', () => s.write(text));
        let got = '';
        s.setEncoding('latin1');
        s.on('data', (c: string) => (got += c));
        s.on('end', () => resolve(got));
        s.on('close', () => resolve(got));
        s.on('error', reject);
      });
    const rawBackends: Array<{ close(): Promise<void> }> = [];
    const rawBackend = async (...args: Parameters<typeof startRawBackend>) => {
      const b = await startRawBackend(...args);
      rawBackends.push(b);
      return b;
    };
    /** A request sent at once, without waiting for pushed state: for load that races the router's changes. */
    let racingGet: RouterFixture['get'];
    const backends: TestBackend[] = [];
    const backend = async (...args: Parameters<typeof startBackend>) => {
      const b = await startBackend(...args);
      backends.push(b);
      return b;
    };
    before(async () => {
      fx = await startRouterFixture(factory, { firstByteMs: 400, connectMs: 1000, quarantineMs: 60_000 });
      const get = fx.get;
      racingGet = get;
      fx.get = async (...args) => (await settled(), get(...args));
    });
    after(async () => {
      await Promise.all([...backends, ...rawBackends].map((b) => b.close()));
      await fx.cleanup();
    });

    test('routes by Host, case-insensitively and without the port; unknown hosts get 404', async () => {
      const app = fx.addApp('hosty');
      const b = await backend('web.1');
      fx.router.setBackends(app.id, [b.backend]);
      const r = await fx.get('HOSTY.localhost:8080');
      assert.equal(r.status, 200);
      assert.equal(JSON.parse(r.body).dyno, 'web.1');
      const missing = await fx.get('nope.localhost', '/', { headers: { Accept: 'text/html' } });
      assert.equal(missing.status, 404);
      assert.match(missing.body, /No such app/);
      const json = await fx.get('nope.localhost');
      assert.equal(JSON.parse(json.body).id, 'no_such_app');
    });

    test('spreads sequential requests evenly over three dynos', async () => {
      const app = fx.addApp('spread');
      const bs = await Promise.all(['web.1', 'web.2', 'web.3'].map((n) => backend(n)));
      fx.router.setBackends(app.id, bs.map((b) => b.backend));
      for (let i = 0; i < 30; i++) assert.equal((await fx.get('spread.localhost')).status, 200);
      assert.deepEqual(bs.map((b) => b.hits.length), [10, 10, 10]);
    });

    test('sends a new request to the least busy dyno', async () => {
      const app = fx.addApp('leastconn');
      let release = () => {};
      const held = new Promise<void>((r) => (release = r));
      const holdOrEcho = (req: IncomingMessage, res: ServerResponse, name: string) =>
        req.url === '/hold' ? void held.then(() => res.end('held')) : echoHandler(req, res, name);
      const bs = await Promise.all(['web.1', 'web.2'].map((n) => backend(n, holdOrEcho)));
      fx.router.setBackends(app.id, bs.map((b) => b.backend));
      const first = fx.get('leastconn.localhost', '/hold');
      await waitFor(() => bs.some((b) => b.hits.length === 1), { what: 'held request to arrive' });
      const idle = bs.find((b) => b.hits.length === 0) as TestBackend;
      for (let i = 0; i < 3; i++) assert.equal(JSON.parse((await fx.get('leastconn.localhost')).body).dyno, idle.backend.dynoName);
      release();
      assert.equal((await first).body, 'held');
    });

    test('retries a refused connection on another dyno', async () => {
      const app = fx.addApp('refused');
      const good = await backend('web.2');
      const dead = { dynoId: 'dead-1', dynoName: 'web.1', host: '127.0.0.1', port: await closedPort() };
      fx.router.setBackends(app.id, [dead, good.backend]);
      for (let i = 0; i < 4; i++) assert.equal((await fx.get('refused.localhost')).status, 200);
      assert.equal(good.hits.length, 4);
      assert.ok((await lines(app.id, 4)).every((l) => l.includes('dyno=web.2') && l.includes('status=200')));
    });

    test('answers H21 when every dyno refuses', async () => {
      const app = fx.addApp('allrefused');
      fx.router.setBackends(app.id, [{ dynoId: 'dead-2', dynoName: 'web.1', host: '127.0.0.1', port: await closedPort() }]);
      const r = await fx.get('allrefused.localhost');
      assert.equal(r.status, 503);
      assert.match(await lastLine(app.id), /at=error code=H21 desc="Backend connection refused"/);
    });

    test('never uses a dyno once it is removed, even with requests in flight', async () => {
      const app = fx.addApp('removal');
      let release = () => {};
      const held = new Promise<void>((r) => (release = r));
      const old = await backend('web.1', (_req, res) => void held.then(() => res.end('old')));
      const next = await backend('web.2');
      fx.router.setBackends(app.id, [old.backend]);
      const inFlight = fx.get('removal.localhost');
      await waitFor(() => old.hits.length === 1, { what: 'request at the old dyno' });
      fx.router.setBackends(app.id, [next.backend]);
      for (let i = 0; i < 3; i++) assert.equal(JSON.parse((await fx.get('removal.localhost')).body).dyno, 'web.2');
      assert.equal(old.hits.length, 1);
      release();
      assert.equal((await inFlight).body, 'old');
    });

    test('replacing every dyno at once (a deploy switch-over) fails no request under load', async () => {
      const app = fx.addApp('switch');
      const sets = await Promise.all(['a', 'b'].map((v) => Promise.all([1, 2, 3].map((i) => backend(`web.${i}${v}`)))));
      const agent = new Agent({ keepAlive: true, maxSockets: 8 });
      fx.router.setBackends(app.id, (sets[0] as TestBackend[]).map((b) => b.backend));
      await settled();
      const statuses: number[] = [];
      const failures: string[] = [];
      let running = true;
      const worker = async () => {
        while (running) {
          const r = await racingGet('switch.localhost', '/', { agent }).catch((e: Error) => ({ status: 0, body: e.message }));
          statuses.push(r.status);
          if (r.status !== 200) failures.push(`${r.status} ${r.body.slice(0, 80)}`);
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      for (let k = 1; k <= 20; k++) {
        const seen = statuses.length;
        fx.router.setBackends(app.id, (sets[k % 2] as TestBackend[]).map((b) => b.backend));
        await waitFor(() => statuses.length >= seen + 20, { timeoutMs: 30_000, what: 'requests after a switch-over' });
      }
      running = false;
      await Promise.all(workers);
      agent.destroy();
      assert.deepEqual(failures, [], `of ${statuses.length} requests`);
    });

    test('logs every request of a burst, once', async () => {
      const app = fx.addApp('burst', 0);
      await settled();
      let logged = 0;
      const unsubscribe = fx.logs.subscribe(app.id, (e) => void (e.process === 'router' && logged++));
      // Pipelined requests the router answers itself (H14), so lines come as fast as it can serve
      // them: several MB of log in a second or two, more than HAProxy's ring holds.
      const [connections, perConnection] = [8, 10_000];
      const answered = await Promise.all(
        Array.from({ length: connections }, () => pipelined(fx.port, 'GET / HTTP/1.1\r\nHost: burst.localhost\r\n\r\n', perConnection, 'HTTP/1.1 503 ')),
      );
      assert.deepEqual(answered, Array(connections).fill(perConnection));
      const total = connections * perConnection;
      try {
        await waitFor(() => logged >= total, { timeoutMs: 20_000, what: `${total} router log lines` });
      } catch {
        assert.fail(`${logged} router log lines for ${total} requests`);
      }
      unsubscribe();
      assert.equal(logged, total);
    });

    test('drain resolves only when the in-flight request to the dyno is done', async () => {
      const app = fx.addApp('drain');
      let release = () => {};
      const held = new Promise<void>((r) => (release = r));
      const b = await backend('web.1', (_req, res) => void held.then(() => res.end('done')));
      fx.router.setBackends(app.id, [b.backend]);
      const inFlight = fx.get('drain.localhost');
      await waitFor(() => b.hits.length === 1, { what: 'request at the dyno' });
      fx.router.setBackends(app.id, []);
      let drained = false;
      const drain = fx.router.drain(b.backend.dynoId, 10_000).then(() => (drained = true));
      await new Promise((r) => setImmediate(r));
      assert.equal(drained, false);
      release();
      await drain;
      assert.equal((await inFlight).status, 200);
      await fx.router.drain('never-seen', 10_000);
    });

    test('H14 when web is scaled to zero, H10 when no web dyno is up, as JSON or HTML', async () => {
      const zero = fx.addApp('zero', 0);
      const r14 = await fx.get('zero.localhost');
      assert.equal(r14.status, 503);
      assert.equal(JSON.parse(r14.body).id, 'H14');
      assert.match(await lastLine(zero.id), /^at=error code=H14 desc="No web processes running" method=GET path="\/" host=zero\.localhost request_id=\S+ fwd="127\.0\.0\.1" dyno= connect= service= status=503 bytes=0 protocol=http$/);
      const crashed = fx.addApp('crashed', 1);
      const r10 = await fx.get('crashed.localhost', '/x', { headers: { Accept: 'text/html,*/*' } });
      assert.equal(r10.status, 503);
      assert.match(r10.headers['content-type'] ?? '', /text\/html/);
      assert.match(r10.body, /Application error/);
      assert.match(await lastLine(crashed.id), /at=error code=H10 desc="App crashed"/);
    });

    test('H12 when the dyno sends nothing in time', async () => {
      const app = fx.addApp('slowpoke');
      const b = await backend('web.1', () => {});
      fx.router.setBackends(app.id, [b.backend]);
      const r = await fx.get('slowpoke.localhost');
      assert.equal(r.status, 503);
      assert.equal(JSON.parse(r.body).id, 'H12');
      assert.match(await lastLine(app.id), /at=error code=H12 desc="Request timeout" .* dyno=web\.1 connect=\d+ms service=\d+ms status=503 bytes=0/);
    });

    test('a large body read slowly by its client arrives byte for byte', async () => {
      const app = fx.addApp('bigbody');
      // More than loopback sockets buffer, every 4 bytes different, so a block overwritten or read twice shows.
      const body = Buffer.alloc(32 << 20);
      for (let i = 0; i < body.length; i += 4) body.writeUInt32BE(i, i);
      const b = await backend('web.1', (_req, res) => res.end(body));
      fx.router.setBackends(app.id, [b.backend]);
      await settled();
      const got = await new Promise<Buffer>((resolve, reject) => {
        const req = httpGet({ host: '127.0.0.1', port: fx.port, path: '/', headers: { Host: 'bigbody.localhost' } }, (res) => {
          if (res.statusCode !== 200) return void (res.resume(), reject(new Error(`status ${res.statusCode}`)));
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => {
            chunks.push(c);
            // A slow reader: the router's writes to it back up while the dyno keeps sending.
            res.pause();
            setTimeout(() => res.resume(), 2);
          });
          res.on('end', () => resolve(Buffer.concat(chunks)));
          res.on('error', reject);
        });
        req.on('error', reject);
      });
      assert.equal(got.length, body.length);
      assert.ok(got.equals(body), 'the body the client got differs from the dyno\'s');
    });

    test('keeps no idle connection to a dyno it no longer routes to', async () => {
      const app = fx.addApp('idlegone');
      const old = await backend('web.1');
      // A dyno that never closes an idle keep-alive connection itself (a dead node does not either).
      old.server.keepAliveTimeout = 0;
      const next = await backend('web.2');
      fx.router.setBackends(app.id, [old.backend]);
      for (let i = 0; i < 3; i++) assert.equal((await fx.get('idlegone.localhost')).status, 200);
      const open = () => new Promise<number>((resolve, reject) => old.server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
      assert.ok((await open()) >= 1, 'the router kept its connection alive');
      fx.router.setBackends(app.id, [next.backend]);
      assert.equal((await fx.get('idlegone.localhost')).status, 200);
      await waitFor(async () => (await open()) === 0, { what: 'the idle connections to the removed dyno closed', timeoutMs: 5000 });
    });

    test('H13 when the dyno closes the connection without answering', async () => {
      const app = fx.addApp('hangup');
      const b = await backend('web.1', (req) => req.socket.destroy());
      fx.router.setBackends(app.id, [b.backend]);
      const r = await fx.get('hangup.localhost');
      assert.equal(r.status, 503);
      assert.match(await lastLine(app.id), /at=error code=H13 desc="Connection closed without response"/);
    });

    /** A dyno that dies with the request in hand: reads all of it, then drops the connection unanswered. */
    const dropsRequests = (req: IncomingMessage) => {
      req.resume();
      req.on('end', () => req.socket.destroy());
    };

    test('replays a bodiless GET that a dyno dropped unanswered on another dyno, and quarantines the dyno', async () => {
      const app = fx.addApp('dropped-get');
      const dying = await backend('web.1', dropsRequests);
      const good = await backend('web.2');
      fx.router.setBackends(app.id, [dying.backend, good.backend]);
      for (let i = 0; i < 4; i++) assert.equal((await fx.get('dropped-get.localhost', `/${i}`)).status, 200);
      assert.equal(dying.hits.length, 1);
      assert.equal(good.hits.length, 4);
      assert.equal(good.hits[0]?.url, '/0');
      assert.ok((await lines(app.id, 4)).every((l) => /^at=info .* dyno=web\.2 .* status=200 /.test(l)), fx.routerLines(app.id).join('\n'));
    });

    test('never replays a request with a body: H13 when the dyno drops it', async () => {
      // Nor a request whose method may change something, even without a body.
      for (const [name, method, body] of [['dropped-post', 'POST', 'pay once'], ['dropped-delete', 'DELETE', undefined]] as const) {
        const app = fx.addApp(name);
        const dying = await backend('web.1', dropsRequests);
        const good = await backend('web.2');
        fx.router.setBackends(app.id, [dying.backend, good.backend]);
        const r = await fx.get(`${name}.localhost`, '/', { method, body, headers: { 'Content-Type': 'text/plain' } });
        assert.equal(r.status, 503);
        assert.equal(JSON.parse(r.body).id, 'H13');
        assert.equal(dying.hits.length, 1);
        assert.equal(good.hits.length, 0);
        const line = new RegExp(`^at=error code=H13 desc="Connection closed without response" method=${method} .* dyno=web\\.1 .* status=503 `);
        assert.match(await lastLine(app.id), line);
      }
    });

    test('H80 while the app is in maintenance', async () => {
      const app = fx.addApp('maint');
      const b = await backend('web.1');
      fx.router.setBackends(app.id, [b.backend]);
      fx.store.apps.update(app.id, { maintenance: true });
      fx.events.publish({ type: 'app.maintenance-changed', appId: app.id, maintenance: true });
      const r = await fx.get('maint.localhost', '/', { headers: { Accept: 'text/html' } });
      assert.equal(r.status, 503);
      assert.match(r.body, /maintenance/);
      assert.match(await lastLine(app.id), /^at=info code=H80 desc="Maintenance mode"/);
      assert.equal(b.hits.length, 0);
    });

    test('logs one info line per request with dyno, timings, status and bytes', async () => {
      const app = fx.addApp('logged');
      const b = await backend('web.1', (_req, res) => res.end('hello'));
      fx.router.setBackends(app.id, [b.backend]);
      await fx.get('logged.localhost', '/a?b=1', { headers: { 'X-Request-Id': 'abcdefghij0123456789' } });
      assert.match(
        await lastLine(app.id),
        /^at=info method=GET path="\/a\?b=1" host=logged\.localhost request_id=abcdefghij0123456789 fwd="127\.0\.0\.1" dyno=web\.1 connect=\d+ms service=\d+ms status=200 bytes=5 protocol=http$/,
      );
    });

    test('adds forwarding headers, keeps a valid request id, strips hop-by-hop headers', async () => {
      const app = fx.addApp('headers');
      const b = await backend('web.1', (req, res) => {
        res.setHeader('Keep-Alive', 'timeout=5');
        res.setHeader('Connection', 'X-Secret-Hop');
        res.setHeader('X-Secret-Hop', 'no');
        res.setHeader('X-Dyno', 'yes');
        res.end(JSON.stringify(req.headers));
      });
      fx.router.setBackends(app.id, [b.backend]);
      const before = Date.now();
      const r = await fx.get('headers.localhost', '/', {
        headers: {
          'X-Forwarded-For': '10.1.2.3', 'X-Request-Id': 'short', Connection: 'X-Hop', 'X-Hop': 'drop me',
          'Proxy-Authorization': 'Basic eA==', 'X-Keep': 'kept', Via: '1.0 upstream', 'X-Forwarded-Proto': 'https',
        },
      });
      const seen = JSON.parse(r.body) as Record<string, string>;
      assert.equal(seen['x-forwarded-for'], '10.1.2.3, 127.0.0.1');
      assert.equal(seen['x-forwarded-proto'], 'http');
      assert.equal(seen['x-forwarded-port'], String(fx.port));
      assert.match(seen['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
      assert.ok(Number(seen['x-request-start']) >= before && Number(seen['x-request-start']) <= Date.now());
      assert.equal(seen.via, '1.0 upstream, 1.1 cupaas');
      assert.equal(seen['x-keep'], 'kept');
      assert.equal(seen.host, 'headers.localhost');
      for (const h of ['x-hop', 'proxy-authorization']) assert.equal(seen[h], undefined, h);
      assert.equal(r.headers['x-dyno'], 'yes');
      assert.equal(r.headers['x-secret-hop'], undefined);
      assert.notEqual(r.headers['keep-alive'], 'timeout=5');
      const valid = 'A1b2C3d4E5f6G7h8I9j0+/=-';
      const kept = JSON.parse((await fx.get('headers.localhost', '/', { headers: { 'X-Request-Id': valid } })).body);
      assert.equal(kept['x-request-id'], valid);
    });

    test('streams chunked responses as they are produced, and chunked request bodies', async () => {
      const app = fx.addApp('stream');
      let finish = () => {};
      const b = await backend('web.1', (req, res) => {
        if (req.method === 'POST') {
          let body = '';
          req.on('data', (c: Buffer) => (body += c));
          req.on('end', () => res.end(`got ${body.length} via ${req.headers['transfer-encoding']}`));
          return;
        }
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('first;');
        finish = () => res.end('last');
      });
      fx.router.setBackends(app.id, [b.backend]);
      await settled();
      const text = await new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: fx.port, path: '/', headers: { Host: 'stream.localhost' } }, (res) => {
          assert.equal(res.headers['transfer-encoding'], 'chunked');
          let got = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            got += c;
            if (got === 'first;') finish();
          });
          res.on('end', () => resolve(got));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(text, 'first;last');
      const upload = await new Promise<string>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: fx.port, path: '/', method: 'POST', headers: { Host: 'stream.localhost', 'Transfer-Encoding': 'chunked' } },
          (res) => {
            let got = '';
            res.on('data', (c: Buffer) => (got += c));
            res.on('end', () => resolve(got));
          },
        );
        req.on('error', reject);
        for (let i = 0; i < 10; i++) req.write('x'.repeat(1000));
        req.end();
      });
      assert.equal(upload, 'got 10000 via chunked');
    });

    test('reuses connections on both sides (keep-alive)', async () => {
      const app = fx.addApp('keepalive');
      const b = await backend('web.1');
      fx.router.setBackends(app.id, [b.backend]);
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const replies = [];
      for (let i = 0; i < 5; i++) replies.push(await fx.get('keepalive.localhost', '/', { agent }));
      agent.destroy();
      assert.deepEqual(replies.map((r) => r.socketReused), [false, true, true, true, true]);
      assert.equal(b.connections, 1);
    });

    test('relays WebSocket upgrades and then both directions', async () => {
      const app = fx.addApp('sockets');
      const b = await backend('web.1');
      const wss = new WebSocketServer({ server: b.server });
      wss.on('connection', (ws, req) => {
        ws.on('message', (m) => ws.send(`echo ${String(m)} via ${req.headers.via}`));
      });
      fx.router.setBackends(app.id, [b.backend]);
      await settled();
      const ws = new WebSocket(`ws://127.0.0.1:${fx.port}/chat`, { headers: { Host: 'sockets.localhost' } });
      const reply = await new Promise<string>((resolve, reject) => {
        ws.on('open', () => ws.send('hi'));
        ws.on('message', (m) => resolve(String(m)));
        ws.on('error', reject);
      });
      ws.close();
      wss.close();
      assert.equal(reply, 'echo hi via 1.1 cupaas');
      assert.match(await lastLine(app.id), /path="\/chat" .* dyno=web\.1 .* status=101/);
    });

    /** Raw responses by path, as a dyno might write them. */
    const FRAMINGS: Record<string, { bytes: string; close?: boolean; then?: string }> = {
      '/length': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello' },
      '/chunked': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n' },
      '/until-close': { bytes: 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello', close: true },
      '/early-hints': { bytes: 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello' },
      '/continue': { bytes: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello' },
      '/no-content': { bytes: 'HTTP/1.1 204 No Content\r\n\r\n' },
      '/not-modified': { bytes: 'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n' },
      '/two-lengths': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!' },
      '/not-http': { bytes: 'HELLO THERE\r\n\r\n', close: true },
      '/huge-head': { bytes: `HTTP/1.1 200 OK\r\nX-Huge: ${'a'.repeat(64 * 1024)}\r\nContent-Length: 5\r\n\r\nhello` },
      '/cut-short': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello', close: true },
      '/then-extra': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', then: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nEVIL!' },
    };
    /** Answers by path; to HEAD with the head alone, as HTTP says (the Content-Length still names the GET's body). */
    const framingDyno = (name: string) =>
      rawBackend(name, (method, path) => {
        const r = FRAMINGS[path] ?? FRAMINGS['/length']!;
        return method === 'HEAD' ? { bytes: r.bytes.slice(0, r.bytes.indexOf('\r\n\r\n') + 4) } : r;
      });

    test('relays every framing of a dyno response, skipping interim 1xx, with nothing left over on either connection', async () => {
      const app = fx.addApp('framing');
      const b = await framingDyno('web.1');
      fx.router.setBackends(app.id, [b.backend]);
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (const path of ['/length', '/chunked', '/until-close', '/early-hints', '/continue', '/length']) {
          const r = await fx.get('framing.localhost', path, { agent });
          assert.deepEqual([r.status, r.body], [200, 'hello'], path);
        }
        for (const [path, status] of [['/no-content', 204], ['/not-modified', 304]] as const) {
          const r = await fx.get('framing.localhost', path, { agent });
          assert.deepEqual([r.status, r.body], [status, ''], path);
        }
        const head = await fx.get('framing.localhost', '/length', { agent, method: 'HEAD' });
        assert.deepEqual([head.status, head.headers['content-length'], head.body], [200, '5', '']);
        // The router did not wait for the 5 bytes the HEAD's Content-Length names.
        assert.equal((await fx.get('framing.localhost', '/chunked', { agent })).body, 'hello');
      } finally {
        agent.destroy();
      }
      assert.equal(b.requests.filter((r) => r.startsWith('GET /length')).length, 2);
    });

    test('never relays a malformed dyno response: the client gets the H13 page', async () => {
      const app = fx.addApp('malformed');
      const b = await framingDyno('web.1');
      fx.router.setBackends(app.id, [b.backend]);
      for (const path of ['/two-lengths', '/not-http', '/huge-head']) {
        const r = await fx.get('malformed.localhost', path);
        assert.equal(r.status, 503, path);
        assert.equal(JSON.parse(r.body).id, 'H13', path);
        assert.doesNotMatch(r.body, /hello/, path);
      }
      assert.equal((await fx.get('malformed.localhost', '/length')).body, 'hello');
    });

    test('drops a dyno connection that answers what nobody asked, so no later request gets that answer', async () => {
      const app = fx.addApp('unasked');
      const b = await framingDyno('web.1');
      fx.router.setBackends(app.id, [b.backend]);
      assert.equal((await fx.get('unasked.localhost', '/then-extra')).body, 'hello');
      await waitFor(() => b.closed >= 1, { what: 'the router to close the connection that spoke out of turn' });
      for (let i = 0; i < 3; i++) assert.equal((await fx.get('unasked.localhost', '/length')).body, 'hello');
    });

    test('a dyno body cut short is cut short for the client too, never completed', async () => {
      const app = fx.addApp('cutshort');
      const b = await framingDyno('web.1');
      fx.router.setBackends(app.id, [b.backend]);
      await settled();
      const got = await raw('GET /cut-short HTTP/1.1\r\nHost: cutshort.localhost\r\n\r\n');
      // A plane that saw the whole truncated response before relaying any of it may answer with its error page instead.
      if (/^HTTP\/1\.1 50[23] /.test(got)) return;
      assert.match(got, /^HTTP\/1\.1 200 /);
      const [head = '', body = ''] = got.split('\r\n\r\n');
      // Either the declared length with fewer bytes, or chunked without its last chunk: never a complete message.
      if (/content-length: 100/i.test(head)) assert.ok(body.length < 100, body);
      else assert.doesNotMatch(body, /\r\n0\r\n\r\n$/);
    });

    test('rejects several Host headers and oversized header lines with 400', async () => {
      fx.addApp('strict');
      const twoHosts = await raw('GET / HTTP/1.1\r\nHost: strict.localhost\r\nHost: other.localhost\r\nConnection: close\r\n\r\n');
      assert.match(twoHosts, /^HTTP\/1\.1 400 /);
      const long = await raw(`GET / HTTP/1.1\r\nHost: strict.localhost\r\nX-Big: ${'a'.repeat(9000)}\r\nConnection: close\r\n\r\n`);
      assert.match(long, /^HTTP\/1\.1 400 /);
    });
  });
}

/**
 * Writes `count` copies of `request` at once on one connection and resolves
 * with how many responses (counted by `statusLine`) came back before it ends
 * the connection.
 */
function pipelined(port: number, request: string, count: number, statusLine: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(request.repeat(count)));
    let seen = 0;
    let carry = '';
    s.setEncoding('latin1');
    s.on('data', (chunk: string) => {
      const text = carry + chunk;
      for (let at = text.indexOf(statusLine); at >= 0; at = text.indexOf(statusLine, at + 1)) seen++;
      // A status line split across reads is counted in the next one (it cannot overlap itself, so none counts twice).
      carry = text.slice(-(statusLine.length - 1));
      if (seen >= count) s.end();
    });
    s.on('close', () => resolve(seen));
    s.on('error', reject);
  });
}
