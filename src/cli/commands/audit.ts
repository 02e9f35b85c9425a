import type { AuditEventInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'audit',
  summary: 'show the audit trail, newest first: who changed what, when and from where (config values never appear)',
  json: true,
  options: {
    app: { type: 'string', short: 'a', description: 'only this app\'s events' },
    limit: { type: 'string', short: 'n', description: 'how many events (default 100, at most 1000)' },
  },
  async run({ api, flags, out }) {
    const query = flags.limit ? `?limit=${encodeURIComponent(flags.limit as string)}` : '';
    const path = flags.app ? `/apps/${encodeURIComponent(flags.app as string)}/audit-events` : '/audit-events';
    const events = await api.request<AuditEventInfo[]>('GET', path + query);
    if (flags.json) return out.json(events);
    out.table(
      events.map((e) => ({
        when: e.created_at, who: e.user?.email ?? '-', app: e.app?.name ?? '-', action: e.action, detail: e.detail ?? '',
        status: e.status, from: e.source, address: e.address ?? '',
      })),
      ['when', 'who', 'app', 'action', 'detail', 'status', 'from', 'address'],
    );
  },
});
