import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOG_TAG } from './config.js';
import { parseRequestLine, type LogContext } from './log-record.js';

/** Slot app_0 belongs to app A and seats dyno1/dyno2 hold web.1/web.2; host h.io belongs to app H. */
const ctx: LogContext = {
  resolve: (backend, server) => ({
    appId: backend === 'app_0' ? 'A' : null,
    dynoName: backend === 'app_0' && /^dyno[12]$/.test(server) ? `web.${server.slice(4)}` : null,
  }),
  appOfHost: (host) => (host === 'h.io' ? 'H' : undefined),
};

/** A line as LOG_FIELDS writes it, from a successful request; `over` replaces fields by name. */
function line(over: Partial<Record<keyof typeof BASE, string>> = {}): string {
  return Object.values({ ...BASE, ...over }).join('\t');
}
const BASE = {
  tag: LOG_TAG, slot: 'app_0', host: 'shop.io', method: 'GET', uri: '/a?b=1', rid: 'abcdefghij0123456789', fwd: '10.0.0.1, 127.0.0.1',
  server: 'dyno1', tc: '1', ta: '9', tr: '2', tw: '0', st: '200', bytes: '120', term: '--', code: '-', clen: '5', hsize: '115', retries: '0', tls: '0',
};

describe('HAProxy request log lines', () => {
  it('reads a served request: dyno, timings, status and body bytes', () => {
    assert.deepEqual(parseRequestLine(line(), ctx), {
      retried: false,
      record: {
        appId: 'A', method: 'GET', path: '/a?b=1', host: 'shop.io', requestId: 'abcdefghij0123456789', fwd: '10.0.0.1, 127.0.0.1',
        protocol: 'http', dyno: 'web.1', connectMs: 1, serviceMs: 6, status: 200, bytes: 5,
      },
    });
  });

  it("undoes HAProxy's escapes and empty values, and reads TLS", () => {
    const r = parseRequestLine(line({ uri: '/a#20b#22', rid: '-', fwd: '-', tls: '1' }), ctx)?.record;
    assert.equal(r?.path, '/a b"');
    assert.equal(r?.requestId, '');
    assert.equal(r?.fwd, '');
    assert.equal(r?.protocol, 'https');
  });

  it('estimates body bytes from the byte count when there is no Content-Length or the transfer broke off', () => {
    assert.equal(parseRequestLine(line({ clen: '-' }), ctx)?.record.bytes, 5);
    assert.equal(parseRequestLine(line({ term: 'SD', bytes: '118' }), ctx)?.record.bytes, 3);
  });

  it('maps termination states and answered codes to H-codes', () => {
    const error = (over: Parameters<typeof line>[0]) => {
      const r = parseRequestLine(line(over), ctx)?.record;
      return r && [r.error?.code, r.status, r.dyno, r.connectMs, r.bytes];
    };
    assert.deepEqual(error({ term: 'sH', st: '504' }), ['H12', 503, 'web.1', 1, 0]);
    assert.deepEqual(error({ term: 'sC', st: '503', tc: '-1' }), ['H19', 503, 'web.1', null, 0]);
    assert.deepEqual(error({ term: 'SC', st: '503', server: '<NOSRV>', tc: '-1' }), ['H10', 503, null, null, 0]);
    assert.deepEqual(error({ term: 'SC', st: '503', tc: '-1' }), ['H21', 503, 'web.1', null, 0]);
    assert.deepEqual(error({ term: 'SH', st: '502' }), ['H13', 503, 'web.1', 1, 0]);
    assert.deepEqual(error({ term: 'CH', st: '-1' }), ['H27', 499, 'web.1', 1, 0]);
    assert.deepEqual(error({ code: 'H80', server: '<NOSRV>', st: '503', tc: '-1' }), ['H80', 503, null, null, 0]);
  });

  it('says when HAProxy retried the connect, also after a redispatch', () => {
    assert.equal(parseRequestLine(line({ retries: '1' }), ctx)?.retried, true);
    assert.equal(parseRequestLine(line({ retries: '+2' }), ctx)?.retried, true);
    assert.equal(parseRequestLine(line({ retries: '+0' }), ctx)?.retried, false);
  });

  it('finds the app by host when its slot is gone; drops lines of no app, refused requests and other lines', () => {
    assert.equal(parseRequestLine(line({ slot: 'app_9', host: 'h.io' }), ctx)?.record.appId, 'H');
    assert.equal(parseRequestLine(line({ slot: 'app_9' }), ctx), null);
    assert.equal(parseRequestLine(line({ slot: '-', host: 'h.io' }), ctx), null);
    assert.equal(parseRequestLine(line({ tag: 'other' }), ctx), null);
    assert.equal(parseRequestLine(line().split('\t').slice(0, 19).join('\t'), ctx), null, 'a field short');
  });
});
