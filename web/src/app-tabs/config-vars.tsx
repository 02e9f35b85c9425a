import { useState } from 'preact/hooks';
import { api, appPath, get } from '../api.js';
import { ErrorNote, Field, Section } from '../components.js';
import { useAction, useLoad } from '../hooks.js';
import type { TabProps } from '../pages/app.js';

/** Config vars, hidden until revealed; each change makes a release. */
export function ConfigVars({ app, can }: TabProps) {
  const vars = useLoad(() => get<Record<string, string>>(appPath(app.name, '/config-vars')), [app.name]);
  const [revealed, setRevealed] = useState(false);
  const [editing, setEditing] = useState<{ key: string; value: string } | null>(null);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const action = useAction();
  const patch = (body: Record<string, string | null>) =>
    action.run(async () => {
      await api('PATCH', appPath(app.name, '/config-vars'), body);
      vars.reload();
    });
  return (
    <Section title="Config vars" actions={
      <button type="button" onClick={() => setRevealed(!revealed)} aria-pressed={revealed}>{revealed ? 'Hide values' : 'Reveal values'}</button>
    }>
      <ErrorNote error={vars.error ?? action.error} />
      <table class="vars" aria-label="Config vars">
        <thead><tr><th scope="col">Name</th><th scope="col">Value</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {Object.entries(vars.data ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => (
            <tr key={k} data-var={k}>
              <td><code>{k}</code></td>
              <td>
                {editing?.key === k ? (
                  <form onSubmit={(e) => (e.preventDefault(), void patch({ [k]: editing.value }).then((ok) => ok && setEditing(null)))}>
                    <label class="sr-only" for={`edit-${k}`}>Value of {k}</label>
                    <input id={`edit-${k}`} value={editing.value} onInput={(e) => setEditing({ key: k, value: (e.target as HTMLInputElement).value })} />
                    <button type="submit">Save</button>
                  </form>
                ) : (
                  <code class="value">{revealed ? v : '••••••••'}</code>
                )}
              </td>
              <td class="actions">{can.deploy && <>
                <button type="button" class="link" onClick={() => setEditing({ key: k, value: v })} aria-label={`Edit ${k}`}>Edit</button>
                <button type="button" class="link danger" onClick={() => confirm(`Remove ${k}? This makes a new release.`) && void patch({ [k]: null })} aria-label={`Remove ${k}`}>Remove</button>
              </>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {can.deploy && <form class="add-var" aria-label="Add a config var" onSubmit={(e) => (e.preventDefault(), void patch({ [key]: value }).then((ok) => ok && (setKey(''), setValue(''))))}>
        <Field label="Name" name="var-key" value={key} onInput={setKey} required placeholder="KEY" />
        <Field label="Value" name="var-value" value={value} onInput={setValue} />
        <button type="submit" disabled={action.busy}>Add</button>
      </form>}
    </Section>
  );
}
