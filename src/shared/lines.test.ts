import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { forEachLine, LOG_LINE_MAX, splitLines } from './lines.js';

/** The lines `chunks` make, and the `midLine` seen after the last write (before `end`). */
function run(chunks: (string | Uint8Array)[], maxLine?: number): { lines: string[]; midLine: boolean; afterEnd: string[] } {
  const lines: string[] = [];
  const s = splitLines((l) => lines.push(l), maxLine);
  chunks.forEach((c) => s.write(c));
  const midLine = s.midLine;
  const before = lines.length;
  s.end();
  return { lines: lines.slice(0, before), midLine, afterEnd: lines.slice(before) };
}

describe('output chunks as lines', () => {
  const cases: { name: string; chunks: string[]; lines: string[]; rest: string[] }[] = [
    { name: 'whole lines', chunks: ['a\nb\n'], lines: ['a', 'b'], rest: [] },
    { name: 'a partial line waits for its end, or for the end of output', chunks: ['a\nb'], lines: ['a'], rest: ['b'] },
    { name: 'a line across chunks', chunks: ['b', 'c\n'], lines: ['bc'], rest: [] },
    { name: 'CRLF', chunks: ['x\r\ny\r\n'], lines: ['x', 'y'], rest: [] },
    { name: 'a CR split from its LF', chunks: ['x\r', '\n'], lines: ['x'], rest: [] },
    { name: 'empty lines kept', chunks: ['\n\n'], lines: ['', ''], rest: [] },
    { name: 'nothing new', chunks: ['p', ''], lines: [], rest: ['p'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = run(c.chunks);
      assert.deepEqual(r.lines, c.lines);
      assert.deepEqual(r.afterEnd, c.rest);
      assert.equal(r.midLine, c.rest.length > 0);
    });
  }

  it('cuts an endless line, and a long one, into pieces of maxLine', () => {
    assert.deepEqual(run(['z'.repeat(9_999), 'zz'], 10_000).lines, ['z'.repeat(10_000)]);
    assert.deepEqual(run(['abcde\n'], 2).lines, ['ab', 'cd', 'e']);
  });

  it('decodes a character whose bytes two chunks split', () => {
    const bytes = Buffer.from('héllo wörld\n', 'utf8');
    const chunks = [bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)];
    assert.deepEqual(run(chunks).lines, ['héllo wörld']);
  });

  it("follows a stream to its end, cutting a dyno's endless line to what the log bus keeps", async () => {
    const lines: string[] = [];
    const stream = new PassThrough();
    forEachLine(stream, (l) => lines.push(l));
    stream.write(Buffer.from('one\r\ntw'));
    stream.write(Buffer.from('o\n' + 'x'.repeat(LOG_LINE_MAX + 5)));
    stream.end();
    await new Promise((resolve) => stream.once('end', resolve));
    assert.deepEqual(lines, ['one', 'two', 'x'.repeat(LOG_LINE_MAX), 'x'.repeat(5)]);
  });
});
