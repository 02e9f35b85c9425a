import { useState } from 'preact/hooks';
import type { AppInfo } from '../../../src/domain/index.js';
import { api, appPath } from '../api.js';
import { ErrorNote, Field, Section } from '../components.js';
import { useAction } from '../hooks.js';
import type { TabProps } from '../pages/app.js';

/** Rename, maintenance mode, and destroy (confirmed by typing the app's name). */
export function Settings({ app, reloadApp, can }: TabProps) {
  const [name, setName] = useState(app.name);
  const [confirmName, setConfirmName] = useState('');
  const action = useAction();
  const rename = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      const renamed = await api<AppInfo>('PATCH', appPath(app.name), { name });
      location.hash = `#/apps/${encodeURIComponent(renamed.name)}/settings`;
    });
  };
  if (!can.manage) return <p>Only the app's admins can change its settings.</p>;
  return (
    <>
      <ErrorNote error={action.error} />
      <Section title="Name">
        <form class="inline-form" aria-label="Rename" onSubmit={rename}>
          <Field label="App name" name="rename" value={name} onInput={setName} required />
          <button type="submit" disabled={action.busy || name === app.name}>Rename</button>
        </form>
      </Section>
      <Section title="Maintenance mode">
        <p class="field inline">
          <input id="maintenance" type="checkbox" checked={app.maintenance}
            onChange={(e) => void action.run(async () => (await api('PATCH', appPath(app.name), { maintenance: (e.target as HTMLInputElement).checked }), reloadApp()))} />
          <label for="maintenance">Serve the maintenance page (H80) instead of the app</label>
        </p>
      </Section>
      <Section title="Destroy app">
        <form class="inline-form" aria-label="Destroy app" onSubmit={(e) => (e.preventDefault(), void action.run(async () => (await api('DELETE', appPath(app.name)), (location.hash = '#/'))))}>
          <Field label={`Type ${app.name} to confirm`} name="confirm-destroy" value={confirmName} onInput={setConfirmName} />
          <button type="submit" class="danger" disabled={action.busy || confirmName !== app.name}>Destroy {app.name}</button>
        </form>
      </Section>
    </>
  );
}
