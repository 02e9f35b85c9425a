#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node --expose-gc
// Runs the compiled CLI; in a checkout without a build, runs the TypeScript sources through tsx.
//
// The server's flag and variable (issue 17), which `cupaas up` passes too. The flag lets the
// server run a full collection once it lets go of what a deploy loaded (src/shared/lazy.ts); only
// the command line can give it. The variable fixes glibc's mmap threshold at its initial 128 KB:
// glibc otherwise raises it after each large free, so the large buffers of builds (compression,
// archives) come from the heap and leave it fragmented after they are freed (~5 MB of the server
// with 10 apps). Allocations under 128 KB, such as a socket's 64 KB reads, are served as before.
//
// This file is CommonJS (bin/package.json says so), and so is the server's bundle: a process that
// starts from an ES module loads Node's ES module loader, which the server would carry for as long
// as it runs (scripts/bundle-server.mjs). The rest of the CLI is ES modules, imported from here.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

// `server` starts from its own entry, which loads no other command, built as one bundle
// (scripts/bundle-server.mjs; issue 17: a module costs memory for as long as the server runs).
const server = process.argv[2] === 'server';
const dist = join(__dirname, server ? '../dist/bundle/server.cjs' : '../dist/cli/main.js');
const sources = () =>
  import('tsx/esm/api').then(({ register }) => {
    register();
    return import(pathToFileURL(join(__dirname, `../src/cli/${server ? 'server-main' : 'main'}.ts`)).href);
  });
if (!existsSync(dist)) void sources();
else if (server) require(dist);
else void import(pathToFileURL(dist).href);
