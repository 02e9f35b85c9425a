import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import { printCommandHelp, printOverview } from './help.js';
import { createOutput } from './output.js';
import { optionsOf, runCommand } from './run-command.js';

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const out = createOutput();
    const topic = name === 'help' ? rest[0] : undefined;
    const cmd = topic ? findCommand(topic) : undefined;
    if (cmd) printCommandHelp(cmd, optionsOf(cmd), out);
    else printOverview(COMMANDS, out);
    return 0;
  }
  if (name === '--version' || name === 'version') {
    createOutput().line('cupaas 0.1.0');
    return 0;
  }
  return runCommand(findCommand(name), name, rest);
}
