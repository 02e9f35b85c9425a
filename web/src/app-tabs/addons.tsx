import { useState } from 'preact/hooks';
import type { AddonBackupInfo, AddonInfo, AddonServiceInfo } from '../../../src/domain/index.js';
import { api, appPath, get } from '../api.js';
import { Badge, ErrorNote, Section, ago } from '../components.js';
import { useAction, useLoad } from '../hooks.js';
import type { TabProps } from '../pages/app.js';

function Backups({ app, addon }: { app: string; addon: AddonInfo }) {
  const base = appPath(app, `/addons/${encodeURIComponent(addon.name)}/backups`);
  const backups = useLoad(() => get<AddonBackupInfo[]>(base), [base]);
  const action = useAction();
  const restore = (b: AddonBackupInfo) => {
    const typed = prompt(`Restoring ${b.name} replaces ALL data of ${addon.name}. Type the app name (${app}) to confirm.`);
    if (typed !== null) void action.run(() => api('POST', `${base}/${encodeURIComponent(b.id)}/restore`, { confirm: typed }));
  };
  return (
    <div class="backups">
      <button type="button" disabled={action.busy} onClick={() => void action.run(async () => (await api('POST', base), backups.reload()))}>Back up now</button>
      <ErrorNote error={backups.error ?? action.error} />
      <ul aria-label={`Backups of ${addon.name}`}>
        {(backups.data ?? []).map((b) => (
          <li key={b.id}>{b.name} <span class="muted">{Math.round(b.size / 1024)} KB · {ago(b.created_at)}</span>
            <button type="button" class="link danger" onClick={() => restore(b)}>Restore…</button></li>
        ))}
      </ul>
    </div>
  );
}

/** Add-ons: create from the catalogue, info, backups and restores (confirmed by the app name). */
export function Addons({ app }: TabProps) {
  const addons = useLoad(() => get<AddonInfo[]>(appPath(app.name, '/addons')), [app.name], 5000);
  const services = useLoad(() => get<AddonServiceInfo[]>('/addon-services'), []);
  const [plan, setPlan] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const action = useAction();
  const available = (services.data ?? []).filter((s) => s.available);
  return (
    <Section title="Add-ons">
      <ErrorNote error={addons.error ?? action.error} />
      <ul class="timeline" aria-label="Add-ons">
        {(addons.data ?? []).map((a) => (
          <li key={a.id}>
            <strong>{a.name}</strong> <span class="muted">{a.plan.name} as {a.attachment.name}</span> <Badge state={a.state} />
            <span class="muted"> {a.config_vars.join(', ')}</span>
            <button type="button" class="link" aria-expanded={open === a.id} onClick={() => setOpen(open === a.id ? null : a.id)}>Backups</button>
            {open === a.id && <Backups app={app.name} addon={a} />}
          </li>
        ))}
      </ul>
      <form class="inline-form" aria-label="Create an add-on" onSubmit={(e) => (e.preventDefault(), void action.run(async () => (await api('POST', appPath(app.name, '/addons'), { plan }), addons.reload())))}>
        <p class="field">
          <label for="addon-plan">Service</label>
          <select id="addon-plan" value={plan} onChange={(e) => setPlan((e.target as HTMLSelectElement).value)} required>
            <option value="">choose…</option>
            {available.map((s) => <option key={s.name} value={s.name}>{s.human_name}</option>)}
          </select>
        </p>
        <button type="submit" disabled={action.busy || !plan}>Create add-on</button>
      </form>
    </Section>
  );
}
