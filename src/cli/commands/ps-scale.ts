import type { FormationInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

const USAGE = 'Usage: cupaas ps:scale web=2 worker+1 [web=1:standard-2x] -a APP';

/** `web=3`, `web+1`, `web-1`, optionally with `:SIZE`. */
export function parseScaleArg(arg: string): { type: string; quantity: string; size?: string } {
  const m = /^([\w-]+?)(=|\+|-)(\d+)(?::([\w-]+))?$/.exec(arg);
  if (!m) throw new CliError(`"${arg}" is not TYPE=N, TYPE+N or TYPE-N.`, USAGE);
  const [, type, op, n, size] = m as unknown as [string, string, string, string, string | undefined];
  return { type, quantity: op === '=' ? n : `${op}${n}`, ...(size ? { size } : {}) };
}

export const formationLine = (fs: readonly FormationInfo[]) => fs.map((f) => `${f.type}=${f.quantity}:${f.size}`).join(' ');

export default defineCommand({
  name: 'ps:scale',
  aliases: ['scale'],
  summary: 'scale process types (web=3, worker+1); without arguments, show the formation',
  args: '[TYPE=N|TYPE+N|TYPE-N[:SIZE]]...',
  app: true,
  async run({ api, app, args, out }) {
    const name = await app();
    const path = `/apps/${encodeURIComponent(name)}/formation`;
    if (!args.length) {
      const current = await api.request<FormationInfo[]>('GET', path);
      return out.line(current.length ? formationLine(current) : `${name} has no process types yet.`);
    }
    const updates = args.map(parseScaleArg);
    const changed = await api.request<FormationInfo[]>('PATCH', path, { body: { updates } });
    out.line(`Scaling dynos on ${name}... done, now running ${formationLine(changed)}`);
  },
});
