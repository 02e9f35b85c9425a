import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import type { CronJobInfo } from './cron.js';

export default defineCommand({
  name: 'cron:add',
  summary: 'schedule a command to run in a one-off dyno (cron syntax, UTC)',
  args: 'SCHEDULE -- COMMAND...',
  app: true,
  json: true,
  options: { size: { type: 'string', short: 's', description: 'dyno size, e.g. standard-2x' } },
  details: 'Example: cupaas cron:add "*/10 * * * *" -a APP -- python3 task.py',
  async run({ api, app, args, flags, out }) {
    const [schedule, ...command] = args;
    if (!schedule || !command.length) throw new CliError('Give a schedule and a command.', 'Usage: cupaas cron:add "*/10 * * * *" -a APP -- python3 task.py');
    const name = await app();
    const job = await api.request<CronJobInfo>('POST', `/apps/${encodeURIComponent(name)}/cron-jobs`, {
      body: { schedule, command: command.join(' '), ...(flags.size ? { size: flags.size } : {}) },
    });
    if (flags.json) return out.json(job);
    out.line(`Scheduled ${job.command} at "${job.schedule}" (UTC) on ${name} as ${job.id.slice(0, 8)}`);
  },
});
