import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { waitFor } from '../../shared/wait.js';
import { followOutput, openOutputFile, type FollowHandlers } from './dyno-output.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), 'cupaas-output-'));
  dirs.push(d);
  return d;
};
const collect = () => {
  const lines: string[] = [];
  const dropped: number[] = [];
  const handlers: FollowHandlers = { onLine: (l) => lines.push(l), onDropped: (n) => dropped.push(n), onError: (e) => assert.fail(String(e)) };
  return { lines, dropped, handlers };
};

test('lines are delivered as written, a partial line once it ends or the follower stops', async () => {
  const dir = scratch();
  const fd = openOutputFile(dir);
  const c = collect();
  const f = followOutput(dir, c.handlers);
  writeSync(fd, 'one\r\ntwo\nthr');
  await waitFor(() => c.lines.length === 2, { what: 'two lines' });
  writeSync(fd, 'ee\nfour');
  await waitFor(() => c.lines.length === 3, { what: 'three lines' });
  f.stop();
  closeSync(fd);
  assert.deepEqual(c.lines, ['one', 'two', 'three', 'four']);
});

test('a later follower goes on where the previous one stopped: nothing repeated, nothing skipped', async () => {
  const dir = scratch();
  const fd = openOutputFile(dir);
  const first = collect();
  const f1 = followOutput(dir, first.handlers);
  writeSync(fd, 'a\nb\n');
  await waitFor(() => first.lines.length === 2, { what: 'first lines' });
  f1.stop();
  writeSync(fd, 'c\nd\n');
  const second = collect();
  const f2 = followOutput(dir, second.handlers);
  await waitFor(() => second.lines.length === 2, { what: 'lines written while no follower ran' });
  f2.stop();
  closeSync(fd);
  assert.deepEqual([first.lines, second.lines], [['a', 'b'], ['c', 'd']]);
});

test('the file is emptied once read past its bound; append-only writers go on at its new end', async () => {
  const dir = scratch();
  const fd = openOutputFile(dir);
  const c = collect();
  const f = followOutput(dir, c.handlers);
  const line = 'x'.repeat(1023) + '\n';
  for (let i = 0; i < 1500; i++) writeSync(fd, line);
  await waitFor(() => c.lines.length === 1500, { what: '1500 lines', timeoutMs: 30_000 });
  await waitFor(() => statSync(join(dir, 'output.log')).size < 1024 * 1024, { what: 'the file truncated' });
  writeSync(fd, 'after\n');
  await waitFor(() => c.lines.at(-1) === 'after', { what: 'a line after the truncation' });
  f.stop();
  closeSync(fd);
  assert.ok(statSync(join(dir, 'output.log')).size < 1024 * 1024);
});

test('a backlog over its bound is cut from its oldest end, and the cut is reported', () => {
  const dir = scratch();
  const fd = openOutputFile(dir);
  const line = 'y'.repeat(1023) + '\n';
  for (let i = 0; i < 1536; i++) writeSync(fd, line);
  writeSync(fd, 'newest\n');
  closeSync(fd);
  const c = collect();
  followOutput(dir, c.handlers).stop();
  assert.equal(c.dropped.length, 1);
  assert.equal(c.dropped[0], 1536 * 1024 + 7 - 1024 * 1024);
  assert.equal(c.lines.at(-1), 'newest');
  assert.ok(c.lines.length <= 1025);
});

test('a line longer than the bound is delivered in pieces', () => {
  const dir = scratch();
  const fd = openOutputFile(dir);
  writeSync(fd, 'z'.repeat(200 * 1024) + '\n');
  closeSync(fd);
  const c = collect();
  followOutput(dir, c.handlers).stop();
  assert.deepEqual(c.lines.map((l) => l.length), [64 * 1024, 64 * 1024, 64 * 1024, 8 * 1024]);
});
