/**
 * The behaviour every kind of log drain must have, each run against a real
 * collector on loopback behind the shared outlet (buffer, batches, L10).
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import {
  selfSignedCert, startHttpReceiver, startSyslogReceiver, type HttpReceiver, type Receiver, type SyslogMessage,
} from '../../../test/support/log-receivers.js';
import { createLogger } from '../../shared/logger.js';
import { waitFor } from '../../shared/wait.js';
import { createDrainDestinations, createDrainOutlet, openDrain, parseDrainUrl, type DrainMessage, type DrainOutlet } from '../index.js';

const CERT = selfSignedCert();
const TOKEN = 'd.6b0f3c1e-9d8a-4f0e-a3c2-1f2e3d4c5b6a';
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/;

/** A line as the collector saw it, after the kind's own framing checks. */
interface Received {
  token: string;
  pri: number;
  timestamp: string;
  source: string;
  process: string;
  message: string;
}

interface Collector {
  receiver: Receiver;
  url: string;
  received(): Received[];
}

interface Kind {
  name: string;
  skip?: string;
  /** Syslog drains keep retrying a batch while the collector is away; HTTP drains give it up after 3 attempts. */
  holdsWhileDown: boolean;
  tls: boolean;
  start(): Promise<Collector>;
}

function fromSyslog(m: SyslogMessage): Received {
  assert.equal(m.version, '1');
  assert.ok(m.rest.startsWith('- - '), `MSGID and STRUCTURED-DATA are nil: ${m.rest}`);
  const { hostname: token, pri, timestamp, appName: source, procId: process } = m;
  return { token, pri, timestamp, source, process, message: m.rest.slice(4) };
}

function fromLogplex(r: HttpReceiver): Received[] {
  return r.requests.filter((q) => q.status === 200).flatMap((q) =>
    q.messages.map((m) => {
      assert.equal(m.hostname, 'host');
      assert.match(m.rest, /^- [\s\S]*\n$/, 'a nil MSGID, no STRUCTURED-DATA, a trailing newline');
      const token = q.headers['logplex-drain-token'] as string;
      return { token, pri: m.pri, timestamp: m.timestamp, source: m.appName, process: m.procId, message: m.rest.slice(2, -1) };
    }),
  );
}

const noCert = CERT ? undefined : 'the openssl CLI is not installed';
const KINDS: Kind[] = [
  {
    name: 'syslog', holdsWhileDown: true, tls: false,
    start: async () => {
      const r = await startSyslogReceiver();
      return { receiver: r, url: `syslog://127.0.0.1:${r.port}`, received: () => r.messages.map(fromSyslog) };
    },
  },
  {
    name: 'syslog+tls', skip: noCert, holdsWhileDown: true, tls: true,
    start: async () => {
      const r = await startSyslogReceiver(CERT);
      return { receiver: r, url: `syslog+tls://localhost:${r.port}`, received: () => r.messages.map(fromSyslog) };
    },
  },
  {
    name: 'http', holdsWhileDown: false, tls: false,
    start: async () => {
      const r = await startHttpReceiver();
      return { receiver: r, url: `http://drain:p%40ss@127.0.0.1:${r.port}/logs`, received: () => fromLogplex(r) };
    },
  },
  {
    name: 'https', skip: noCert, holdsWhileDown: false, tls: true,
    start: async () => {
      const r = await startHttpReceiver(CERT);
      return { receiver: r, url: `https://127.0.0.1:${r.port}/logs`, received: () => fromLogplex(r) };
    },
  },
];

interface Rig extends Collector {
  outlet: DrainOutlet;
  notices: DrainMessage[];
  diagnostics: string[];
}

/** The collectors listen on loopback, which drains refuse unless an admin allows it. */
const LOOPBACK_ALLOWED = createDrainDestinations({ allow: ['127.0.0.0/8', '::1', 'localhost'] });

/** A collector and a drain to it, both closed when the test ends. */
async function rig(t: TestContext, kind: Kind, opts: { trusted?: boolean; closeTimeoutMs?: number } = {}): Promise<Rig> {
  const collector = await kind.start();
  const diagnostics: string[] = [];
  const logger = createLogger({ level: 'debug', write: (l) => diagnostics.push(l) });
  const drain = openDrain(parseDrainUrl(collector.url), {
    token: TOKEN, logger, destinations: LOOPBACK_ALLOWED, ca: opts.trusted === false || !CERT ? undefined : CERT.cert,
    connectTimeoutMs: 1000, requestTimeoutMs: 2000, minBackoffMs: 50, maxBackoffMs: 200,
  });
  const notices: DrainMessage[] = [];
  const outlet = createDrainOutlet(drain, {
    logger, flushIntervalMs: 10, closeTimeoutMs: opts.closeTimeoutMs ?? 1000, onOverflow: (n) => notices.push(n),
  });
  t.after(async () => {
    await outlet.close();
    await collector.receiver.stop();
  });
  return { ...collector, outlet, notices, diagnostics };
}

const line = (message: string, source: 'app' | 'heroku' = 'app', process = 'web.1'): DrainMessage => ({
  epochMs: Date.now() + 0.123, source, process, message,
});

const arrived = (r: Rig, count: number) =>
  waitFor(() => r.received().length >= count && r.received(), { timeoutMs: 10_000, what: `${count} lines at the collector` });

for (const kind of KINDS) {
  describe(`log drain contract: ${kind.name}`, { skip: kind.skip }, () => {
    test('delivers lines in order with the token, source, dyno, priority and byte-exact framing', async (t) => {
      const r = await rig(t, kind);
      const sent = [
        line('Starting process with command `npm start`', 'heroku', 'web.1'),
        line('héllo wörld ✓ - - <not a header>'),
        line('at=info method=GET path="/" status=200', 'heroku', 'router'),
        line('Release v2 created by user a@b.c', 'heroku', 'api'),
        line('x'.repeat(3000), 'app', 'worker.2'),
        ...Array.from({ length: 20 }, (_, i) => line(`line ${i}`)),
      ];
      for (const m of sent) r.outlet.offer(m);
      const got = await arrived(r, sent.length);
      assert.deepEqual(got.map((g) => [g.source, g.process, g.message]), sent.map((m) => [m.source, m.process, m.message]));
      for (const g of got) {
        assert.equal(g.token, TOKEN);
        assert.match(g.timestamp, TIMESTAMP);
      }
      // local7 for dyno output, local3 for the router, local0 for the rest; severity info.
      assert.deepEqual(got.slice(0, 4).map((g) => g.pri), [134, 190, 158, 134]);
    });

    test('reconnects after the collector restarts', async (t) => {
      const r = await rig(t, kind);
      r.outlet.offer(line('before restart'));
      await arrived(r, 1);
      await r.receiver.stop();
      await r.receiver.start();
      r.outlet.offer(line('after restart'));
      const got = await arrived(r, 2);
      assert.deepEqual(got.map((g) => g.message), ['before restart', 'after restart']);
    });

    const heldOnlyBySyslog = !kind.holdsWhileDown && 'HTTP drains give a batch up after 3 attempts, as Logplex does';
    test('holds lines while the collector is away', { skip: heldOnlyBySyslog }, async (t) => {
      const r = await rig(t, kind);
      await r.receiver.stop();
      r.outlet.offer(line('while away 1'));
      r.outlet.offer(line('while away 2'));
      await waitFor(() => r.diagnostics.some((d) => d.includes('cannot deliver')), { what: 'a failed delivery' });
      await r.receiver.start();
      const got = await arrived(r, 2);
      assert.deepEqual(got.map((g) => g.message), ['while away 1', 'while away 2']);
    });

    test('on overflow drops the oldest lines and sends an L10 notice where the gap is', async (t) => {
      const r = await rig(t, kind);
      // Written at once, before the first batch goes out: 1500 lines into a 1024-line buffer.
      for (let i = 0; i < 1500; i++) r.outlet.offer(line(`burst ${i}`));
      const got = await arrived(r, 1025);
      assert.equal(got.length, 1025);
      const [notice, ...rest] = got as [Received, ...Received[]];
      assert.equal(notice.source, 'heroku');
      assert.equal(notice.process, 'logplex');
      assert.match(notice.message, /^Error L10 \(output buffer overflow\): 476 messages dropped since \d{4}-\S+\+00:00\.$/);
      assert.deepEqual(rest.map((g) => g.message), Array.from({ length: 1024 }, (_, i) => `burst ${i + 476}`));
      assert.deepEqual(r.notices.map((n) => n.message), [notice.message]);
    });

    test('close() delivers what is buffered, then takes no more lines', async (t) => {
      const r = await rig(t, kind);
      for (let i = 0; i < 50; i++) r.outlet.offer(line(`closing ${i}`));
      await r.outlet.close();
      r.outlet.offer(line('after close'));
      const got = await arrived(r, 50);
      assert.deepEqual(got.map((g) => g.message), Array.from({ length: 50 }, (_, i) => `closing ${i}`));
    });

    test('close() with the collector away gives up within its timeout', async (t) => {
      const r = await rig(t, kind, { closeTimeoutMs: 300 });
      await r.receiver.stop();
      for (let i = 0; i < 5; i++) r.outlet.offer(line(`lost ${i}`));
      const started = Date.now();
      await r.outlet.close();
      assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
      assert.equal(r.received().length, 0);
    });

    const noTls = !kind.tls && 'plain TCP/HTTP has no certificate';
    test('refuses a collector whose certificate it does not trust', { skip: noTls }, async (t) => {
      const r = await rig(t, kind, { trusted: false });
      r.outlet.offer(line('secret'));
      await waitFor(() => r.receiver.handshakeFailures > 0, { what: 'a refused TLS handshake' });
      await waitFor(() => r.diagnostics.some((d) => /certificate/i.test(d)), { what: 'the certificate error in the log' });
      assert.equal(r.received().length, 0);
    });
  });
}

describe('log drain contract: HTTP specifics', () => {
  const http = KINDS.find((k) => k.name === 'http') as Kind;
  const requests = (r: Rig) => (r.receiver as HttpReceiver).requests;

  test('sends logplex-1 headers and Basic auth from the URL; a retry after a 500 reuses the frame id', async (t) => {
    const r = await rig(t, http);
    (r.receiver as HttpReceiver).answerNext(500);
    r.outlet.offer(line('one'));
    r.outlet.offer(line('two'));
    await arrived(r, 2);
    const [failed, retried] = requests(r);
    assert.ok(failed && retried);
    assert.equal(failed.status, 500);
    assert.equal(retried.status, 200);
    assert.equal(retried.headers['logplex-frame-id'], failed.headers['logplex-frame-id']);
    assert.match(String(retried.headers['logplex-frame-id']), /^[0-9a-f]{32}$/);
    assert.equal(retried.headers['content-type'], 'application/logplex-1');
    assert.equal(retried.headers['logplex-msg-count'], '2');
    assert.equal(retried.headers['logplex-drain-token'], TOKEN);
    assert.equal(retried.headers['user-agent'], 'cupaas-logplex/1');
    assert.equal(retried.headers.authorization, `Basic ${Buffer.from('drain:p@ss').toString('base64')}`);
    assert.equal(retried.path, '/logs');
  });

  test('drops a batch the collector refuses with a 4xx, and goes on with the next', async (t) => {
    const r = await rig(t, http);
    (r.receiver as HttpReceiver).answerNext(400);
    r.outlet.offer(line('refused'));
    await waitFor(() => requests(r).length === 1, { what: 'the refused batch' });
    r.outlet.offer(line('accepted'));
    const got = await arrived(r, 1);
    assert.deepEqual(got.map((g) => g.message), ['accepted']);
    assert.deepEqual(requests(r).map((q) => q.status), [400, 200]);
    assert.ok(r.diagnostics.some((d) => d.includes('refused a batch')));
  });
});
