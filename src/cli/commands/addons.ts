import type { AddonInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'addons',
  aliases: ['addons:list'],
  summary: 'list an app\'s add-ons',
  app: true,
  json: true,
  async run({ api, app, flags, out }) {
    const name = await app();
    const addons = await api.list<AddonInfo>(`/apps/${encodeURIComponent(name)}/addons`);
    if (flags.json) return out.json(addons);
    if (!addons.length) return out.line(`${name} has no add-ons. Create one with \`cupaas addons:create postgres -a ${name}\`.`);
    out.table(
      addons.map((a) => ({ name: a.name, plan: a.plan.name, 'config vars': a.config_vars.join(', '), state: a.state })),
      ['name', 'plan', 'config vars', 'state'],
    );
  },
});
