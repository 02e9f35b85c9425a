import type { Command, OptionSpec } from './command.js';
import type { Output } from './output.js';

export function printOverview(commands: readonly Command[], out: Output): void {
  out.line('cupaas: deploy and run apps on your own machine, the Heroku way.');
  out.line();
  out.line('USAGE');
  out.line('  $ cupaas COMMAND [ARGS] [FLAGS]');
  out.line();
  out.line('COMMANDS');
  const w = Math.max(...commands.map((c) => c.name.length));
  for (const c of [...commands].sort((a, b) => a.name.localeCompare(b.name))) {
    out.line(`  ${c.name.padEnd(w)}  ${c.summary}`);
  }
  out.line();
  out.line('Run `cupaas COMMAND --help` for a command\'s flags.');
}

export function printCommandHelp(cmd: Command, options: Record<string, OptionSpec>, out: Output): void {
  out.line(cmd.summary);
  out.line();
  out.line('USAGE');
  out.line(`  $ cupaas ${cmd.name}${cmd.args ? ' ' + cmd.args : ''}`);
  const entries = Object.entries(options);
  if (entries.length) {
    out.line();
    out.line('FLAGS');
    const label = ([k, o]: [string, OptionSpec]) =>
      `${o.short ? `-${o.short}, ` : '    '}--${k}${o.type === 'string' ? ` ${k.toUpperCase()}` : ''}`;
    const w = Math.max(...entries.map((e) => label(e).length));
    for (const e of entries) out.line(`  ${label(e).padEnd(w)}  ${e[1].description}`);
  }
  if (cmd.aliases?.length) {
    out.line();
    out.line(`ALIASES\n  ${cmd.aliases.map((a) => `$ cupaas ${a}`).join('\n  ')}`);
  }
  if (cmd.details) {
    out.line();
    out.line(cmd.details.trimEnd());
  }
}
