import { defineCommand } from '../command.js';

export interface CronJobInfo {
  id: string;
  schedule: string;
  command: string;
  size: string;
  source: 'api' | 'manifest';
  last_run_at: string | null;
}

export default defineCommand({
  name: 'cron',
  summary: 'list an app\'s scheduled jobs (cron syntax, UTC)',
  app: true,
  json: true,
  async run({ api, app, flags, out }) {
    const name = await app();
    const jobs = await api.request<CronJobInfo[]>('GET', `/apps/${encodeURIComponent(name)}/cron-jobs`);
    if (flags.json) return out.json(jobs);
    if (!jobs.length) return out.line(`${name} has no scheduled jobs. Add one with \`cupaas cron:add "0 3 * * *" -- CMD\`.`);
    out.section(`${name} scheduled jobs (UTC)`);
    out.table(
      jobs.map((j) => ({ id: j.id.slice(0, 8), schedule: j.schedule, command: j.command, size: j.size, from: j.source === 'manifest' ? '.cupaas' : 'cron:add', last_run: j.last_run_at ?? 'never' })),
      ['id', 'schedule', 'command', 'size', 'from', 'last_run'],
    );
  },
});
