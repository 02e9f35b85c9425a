import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { CliError } from './errors.js';

let piped: string[] | undefined;

/** stdin's lines, read once: `--password-stdin` takes secrets from there, one per line. */
async function stdinLines(): Promise<string[]> {
  if (piped) return piped;
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  piped = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  return piped;
}

/** Asks on the terminal without echoing what is typed. */
async function askHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const muted = new Writable({ write: (_c, _e, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  try {
    return await rl.question('');
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

/** Asks on the terminal, echoing (for emails). */
export async function ask(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  try {
    return (await rl.question(prompt)).trim();
  } finally {
    rl.close();
  }
}

/**
 * A secret: line `index` of stdin with `--password-stdin`, else asked on the
 * terminal without echo. Never from an argument: argv is visible to every
 * user of the machine.
 */
export async function readSecret(prompt: string, fromStdin: boolean, index = 0): Promise<string> {
  if (fromStdin) return (await stdinLines())[index] ?? '';
  if (!process.stdin.isTTY) throw new CliError('No terminal to ask for a password.', 'Pipe it in with --password-stdin.');
  return askHidden(prompt);
}
