import assert from 'node:assert/strict';
import { it } from 'node:test';
import { declaredArgs } from './dockerfile-build.js';

it('finds the ARG names of every stage, with or without defaults, and nothing else', () => {
  const text = 'FROM cupaas/stack:latest AS base\nARG NODE_ENV=production\n  arg API_TOKEN\nENV X=1\nFROM base\nARG NODE_ENV\nRUN echo $SECRET\n';
  assert.deepEqual(declaredArgs(text), ['NODE_ENV', 'API_TOKEN']);
});
