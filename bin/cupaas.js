#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node --expose-gc
// Runs the compiled CLI; in a checkout without a build, runs the TypeScript sources through tsx.
//
// The server's flag and variable (issue 17), which `cupaas up` passes too. The flag lets the
// server run a full collection once it lets go of what a deploy loaded (src/shared/lazy.ts); only
// the command line can give it. The variable fixes glibc's mmap threshold at its initial 128 KB:
// glibc otherwise raises it after each large free, so the large buffers of builds (compression,
// archives) come from the heap and leave it fragmented after they are freed (~5 MB of the server
// with 10 apps). Allocations under 128 KB, such as a socket's 64 KB reads, are served as before.
import { existsSync } from 'node:fs';

// `server` starts from its own entry, which loads no other command, built as one bundle
// (scripts/bundle-server.mjs; issue 17: a module costs memory for as long as the server runs).
const server = process.argv[2] === 'server';
const entry = server ? 'server-main' : 'main';
const dist = new URL(server ? '../dist/bundle/server.js' : '../dist/cli/main.js', import.meta.url);
if (existsSync(dist)) {
  await import(dist.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL(`../src/cli/${entry}.ts`, import.meta.url).href);
}
