// `util.parseArgs` is a getter: read where used, not imported by name (scripts/bundle-server.mjs).
import util from 'node:util';
import { resolveClientConfig } from '../config/index.js';
import { resolveAppName } from './app-name.js';
import { createApiClient } from './client.js';
import type { Command, OptionSpec } from './command.js';
import { CliError } from './errors.js';
import { printCommandHelp } from './help.js';
import { createOutput } from './output.js';

const COMMON: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', description: 'show help for this command' },
};
const APP: Record<string, OptionSpec> = {
  app: { type: 'string', short: 'a', description: 'app to run the command against' },
  remote: { type: 'string', short: 'r', description: 'git remote of the app (default cupaas)' },
};
const JSON_OPT: Record<string, OptionSpec> = { json: { type: 'boolean', description: 'output in JSON' } };

export function optionsOf(cmd: Command): Record<string, OptionSpec> {
  return { ...(cmd.app ? APP : {}), ...(cmd.json ? JSON_OPT : {}), ...cmd.options, ...COMMON };
}

/**
 * Runs one command with its arguments; returns the exit code. Apart from the
 * command list, so `cupaas server` loads only its own command (issue 17: the
 * other commands' modules and packages are memory the platform would hold).
 */
export async function runCommand(cmd: Command | undefined, name: string, rest: readonly string[]): Promise<number> {
  const out = createOutput();
  try {
    if (!cmd) throw new CliError(`${name} is not a cupaas command.`, 'Run `cupaas --help` for the list of commands.');
    const options = optionsOf(cmd);
    let parsed;
    try {
      parsed = util.parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new CliError((e as Error).message, `Run \`cupaas ${cmd.name} --help\` for its usage.`);
    }
    if (parsed.values.help) {
      printCommandHelp(cmd, options, out);
      return 0;
    }
    const config = resolveClientConfig();
    const flags = parsed.values as Record<string, string | boolean | string[] | undefined>;
    await cmd.run({
      args: parsed.positionals,
      flags,
      api: createApiClient(config),
      config,
      out,
      app: () => resolveAppName(flags.app as string | undefined, (flags.remote as string | undefined) ?? 'cupaas'),
    });
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(` ›   Error: ${e.message}\n`);
      if (e.hint) process.stderr.write(` ›   ${e.hint}\n`);
      return e.exitCode;
    }
    process.stderr.write(` ›   Error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
