/**
 * `cupaas server` without the rest of the CLI: bin/cupaas.js starts here for
 * that one command, so the platform process never loads the client commands
 * and the packages they use (tar, yaml) (issue 17).
 */
import server from './commands/server.js';
import { runCommand } from './run-command.js';

// No top-level await: the bundle is CommonJS (scripts/bundle-server.mjs).
void runCommand(server, 'server', process.argv.slice(3)).then((code) => (process.exitCode = code));
