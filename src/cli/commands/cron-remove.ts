import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import type { CronJobInfo } from './cron.js';

export default defineCommand({
  name: 'cron:remove',
  summary: 'remove a scheduled job (by the id `cupaas cron` shows)',
  args: 'ID',
  app: true,
  async run({ api, app, args, out }) {
    const id = args[0];
    if (!id) throw new CliError('Which job?', 'Usage: cupaas cron:remove ID -a APP (see `cupaas cron`)');
    const name = await app();
    const base = `/apps/${encodeURIComponent(name)}/cron-jobs`;
    const matches = (await api.request<CronJobInfo[]>('GET', base)).filter((j) => j.id.startsWith(id));
    const [job] = matches;
    if (!job) throw new CliError(`${name} has no scheduled job ${id}.`, `Run \`cupaas cron -a ${name}\` for the list.`);
    if (matches.length > 1) throw new CliError(`${id} matches ${matches.length} jobs.`, 'Give more of the id.');
    if (job.source === 'manifest') out.warn('This job comes from .cupaas `cron:`; the next deploy adds it back unless you remove it there.');
    await api.request('DELETE', `${base}/${encodeURIComponent(job.id)}`);
    out.line(`Removed ${job.id.slice(0, 8)} (${job.schedule} ${job.command}) from ${name}`);
  },
});
