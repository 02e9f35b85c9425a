import type { Flags, OptionSpec } from './command.js';
import { CliError } from './errors.js';

/** `-t/--team`, as Heroku's CLI names it. */
export const teamOption: Readonly<Record<string, OptionSpec>> = {
  team: { type: 'string', short: 't', description: 'the team' },
};

export function teamFlag(flags: Flags): string {
  const team = flags.team;
  if (typeof team !== 'string' || !team) throw new CliError('Which team?', 'Pass -t TEAM (`cupaas teams` lists yours).');
  return team;
}
