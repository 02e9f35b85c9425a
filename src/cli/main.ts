#!/usr/bin/env node
/**
 * CLI: the `cupaas` command. A client of the public HTTP API only (plus the
 * `server` command, which starts the platform in this process).
 */
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2));
