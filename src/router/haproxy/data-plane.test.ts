import assert from 'node:assert/strict';
import { test } from 'node:test';
import { joinedLines } from './data-plane.js';

test('a restatement larger than the CLI line buffer goes as several lines, in order', () => {
  const commands = Array.from({ length: 500 }, (_, i) => `set map apps.map app_${i} H14`);
  const lines = joinedLines(commands, 8000);
  assert.ok(lines.length > 1 && lines.every((l) => l.length <= 8000));
  assert.deepEqual(lines.join(';').split(';'), commands);
});
