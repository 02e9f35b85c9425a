#!/usr/bin/env node
// Runs the compiled CLI; in a checkout without a build, runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

if (process.argv[2] === 'server') {
  // V8 grows each young-generation semi-space to 16 MB: at idle most of the server's heap (issue 17,
  // RSS 75 → 70 MB with one app). Set first: a smaller size set later does not shrink what already grew.
  setFlagsFromString('--max-semi-space-size=1');
}
const dist = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(dist)) {
  await import(dist.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
