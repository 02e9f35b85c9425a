/** Pod output into log lines: pure, a table. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { splitLogChunk } from './log-lines.js';

const cases: { name: string; pending: string; chunk: string; lines: string[]; rest: string }[] = [
  { name: 'whole lines', pending: '', chunk: 'a\nb\n', lines: ['a', 'b'], rest: '' },
  { name: 'a partial line waits', pending: '', chunk: 'a\nb', lines: ['a'], rest: 'b' },
  { name: 'the partial line completes', pending: 'b', chunk: 'c\n', lines: ['bc'], rest: '' },
  { name: 'CRLF', pending: '', chunk: 'x\r\ny\r\n', lines: ['x', 'y'], rest: '' },
  { name: 'empty lines kept', pending: '', chunk: '\n\n', lines: ['', ''], rest: '' },
  { name: 'an endless line is cut', pending: 'z'.repeat(9_999), chunk: 'zz', lines: ['z'.repeat(10_000)], rest: 'z' },
  { name: 'nothing new', pending: 'p', chunk: '', lines: [], rest: 'p' },
];
for (const c of cases) {
  it(c.name, () => assert.deepEqual(splitLogChunk(c.pending, c.chunk), { lines: c.lines, pending: c.rest }));
}
