/**
 * The framing of dynos' responses, case by case, through the one module that
 * uses Node's undocumented HTTPParser binding: if a Node upgrade changes the
 * binding, these fail before the data plane misparses a response.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createResponseParser, type BodyMode, type ResponseHead } from './response-parser.js';

interface Run {
  events: string[];
  /** What `execute` returned for each piece: bytes consumed or the error's code. */
  returned: Array<number | string>;
  finished?: string;
}

/** Feeds `pieces` to a parser; `mode` answers each head (default: read the body as framed). */
function parse(pieces: string[], opts: { mode?: (h: ResponseHead) => BodyMode; finish?: boolean; maxHead?: number } = {}): Run {
  const events: string[] = [];
  const p = createResponseParser(opts.maxHead ?? 16 * 1024, {
    onHead: (h) => {
      events.push(`head ${h.status} ${h.statusMessage} ${h.headers.length / 2}h${h.upgrade ? ' upgrade' : ''}${h.keepAlive ? ' keep-alive' : ''}`);
      return opts.mode?.(h) ?? 'body';
    },
    onBody: (b) => events.push(`body ${b.toString('latin1')}`),
    onComplete: () => events.push('complete'),
  });
  const codeOf = (r: number | Error | undefined) => (r instanceof Error ? String((r as Error & { code?: string }).code) : r);
  const run: Run = { events, returned: pieces.map((piece) => codeOf(p.execute(Buffer.from(piece, 'latin1'))) as number | string) };
  if (opts.finish) run.finished = String(codeOf(p.finish()) ?? 'ok');
  p.close();
  return run;
}

const OK1 = 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx';

describe('response framing', () => {
  test('Content-Length, also across reads', () => {
    assert.deepEqual(parse(['HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhe', 'llo']).events, ['head 200 OK 1h keep-alive', 'body he', 'body llo', 'complete']);
  });

  test('chunked: decoded', () => {
    const r = parse(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n']);
    assert.deepEqual(r.events, ['head 200 OK 1h keep-alive', 'body hello', 'body abc', 'complete']);
  });

  test('close-delimited: the body ends when the dyno closes, and the connection is not kept', () => {
    const r = parse(['HTTP/1.1 200 OK\r\n\r\nabc'], { finish: true });
    assert.deepEqual(r.events, ['head 200 OK 0h', 'body abc', 'complete']);
    assert.equal(r.finished, 'ok');
    // A transfer coding that is not chunked is close-delimited too.
    assert.deepEqual(parse(['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz'], { finish: true }).events, ['head 200 OK 1h', 'body zz', 'complete']);
  });

  test('keep-alive follows the version and Connection', () => {
    assert.deepEqual(parse(['HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx']).events[0], 'head 200 OK 1h');
    assert.deepEqual(parse(['HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx']).events[0], 'head 200 OK 2h');
  });

  test('interim 1xx responses are skipped whole; the final one follows', () => {
    for (const interim of ['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n']) {
      assert.deepEqual(parse([interim + OK1]).events, ['head 200 OK 1h keep-alive', 'body x', 'complete']);
    }
  });

  test('204 and 304 have no body whatever their Content-Length says; the next response parses', () => {
    for (const status of ['204 No Content', '304 Not Modified']) {
      const r = parse([`HTTP/1.1 ${status}\r\nContent-Length: 5\r\n\r\n${OK1}`]);
      assert.deepEqual(r.events, [`head ${status} 1h keep-alive`, 'complete', 'head 200 OK 1h keep-alive', 'body x', 'complete']);
    }
  });

  test('a response to HEAD: no body, by the caller\'s say', () => {
    const r = parse([`HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n${OK1}`], { mode: (h) => (h.status === 200 && h.headers.includes('5') ? 'none' : 'body') });
    assert.deepEqual(r.events, ['head 200 OK 1h keep-alive', 'complete', 'head 200 OK 1h keep-alive', 'body x', 'complete']);
  });

  test('101: parsing stops after the head; the rest is the new protocol\'s', () => {
    const head = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n';
    const r = parse([`${head}RAW`], { mode: () => 'upgrade' });
    assert.equal(r.events[0], 'head 101 Switching Protocols 2h upgrade keep-alive');
    assert.deepEqual(r.returned, [head.length]);
  });

  test('a head of more than 32 headers arrives whole', () => {
    const many = Array.from({ length: 40 }, (_, i) => `X-${i}: v${i}\r\n`).join('');
    assert.deepEqual(parse([`HTTP/1.1 200 OK\r\n${many}Content-Length: 0\r\n\r\n`]).events, ['head 200 OK 41h keep-alive', 'complete']);
  });

  // Each of these must be refused, never relayed: they desynchronise or smuggle.
  const MALFORMED: Array<[string, string, string]> = [
    ['Content-Length with Transfer-Encoding', 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 'HPE_INVALID_TRANSFER_ENCODING'],
    ['two Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd', 'HPE_UNEXPECTED_CONTENT_LENGTH'],
    ['a Content-Length that is not a number', 'HTTP/1.1 200 OK\r\nContent-Length: 3x\r\n\r\nabc', 'HPE_INVALID_CONTENT_LENGTH'],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'HPE_INVALID_CHUNK_SIZE'],
    ['not HTTP', 'HELLO\r\n\r\n', 'HPE_INVALID_CONSTANT'],
    ['a bare LF', 'HTTP/1.1 200 OK\nContent-Length: 1\n\nx', 'HPE_CR_EXPECTED'],
    ['a folded header', 'HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 1\r\n\r\nx', 'HPE_INVALID_HEADER_TOKEN'],
    ['a NUL in a value', 'HTTP/1.1 200 OK\r\nX: a\0b\r\nContent-Length: 1\r\n\r\nx', 'HPE_INVALID_HEADER_TOKEN'],
    ['bytes after the response', `${OK1}EXTRA`, 'HPE_INVALID_CONSTANT'],
  ];
  for (const [what, text, code] of MALFORMED) {
    test(`refuses ${what}`, () => assert.equal(parse([text]).returned[0], code));
  }

  test('refuses a head over the limit', () => {
    assert.equal(parse([`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(2000)}\r\n\r\n`], { maxHead: 1024 }).returned[0], 'HPE_HEADER_OVERFLOW');
  });

  test('a body cut short by the dyno closing is an error, not a complete response', () => {
    const r = parse(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'], { finish: true });
    assert.deepEqual(r.events, ['head 200 OK 1h keep-alive', 'body abc']);
    assert.equal(r.finished, 'HPE_INVALID_EOF_STATE');
  });
});
