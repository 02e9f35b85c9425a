import type { ClientConfig } from '../config/index.js';
import type { ApiClient } from './client.js';
import type { Output } from './output.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  description: string;
}

export type Flags = Readonly<Record<string, string | boolean | string[] | undefined>>;

export interface CommandContext {
  args: readonly string[];
  flags: Flags;
  api: ApiClient;
  config: ClientConfig;
  out: Output;
  /** The app from `-a/--app`, else from the git remote named `cupaas`. */
  app(): Promise<string>;
}

/** One CLI command: `noun:verb`, one file each under commands/. */
export interface Command {
  name: string;
  aliases?: readonly string[];
  summary: string;
  /** Positional arguments as shown in help, e.g. `[NAME]`. */
  args?: string;
  options?: Readonly<Record<string, OptionSpec>>;
  /** Takes `-a/--app` (and `-r/--remote`). */
  app?: boolean;
  /** Takes `--json`. */
  json?: boolean;
  /** Extra help text, e.g. examples. */
  details?: string;
  run(ctx: CommandContext): Promise<void>;
}

export const defineCommand = (c: Command): Command => c;
