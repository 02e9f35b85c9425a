import { useState } from 'preact/hooks';
import { ApiError, api, appPath, get } from '../api.js';
import { ErrorNote, Field, Section } from '../components.js';
import { useAction, useLoad } from '../hooks.js';
import type { TabProps } from '../pages/app.js';

interface Collaborator {
  id: string;
  user: { email: string };
  role?: string | null;
}

/** The app's owner and collaborators (Heroku's `/apps/{app}/collaborators`). */
export function Access({ app }: TabProps) {
  const collaborators = useLoad(async () => {
    try {
      return await get<Collaborator[]>(appPath(app.name, '/collaborators'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && e.message.includes('endpoint')) return null;
      throw e;
    }
  }, [app.name]);
  const [email, setEmail] = useState('');
  const action = useAction();
  return (
    <Section title="Access">
      <p>Owner: <strong>{app.owner?.email ?? 'unknown'}</strong></p>
      <ErrorNote error={collaborators.error ?? action.error} />
      {collaborators.data === null && <p class="muted">This platform has no collaborators yet (single-user mode).</p>}
      {collaborators.data && (
        <>
          <ul aria-label="Collaborators">
            {collaborators.data.map((c) => <li key={c.id}>{c.user.email} {c.role && <span class="muted">({c.role})</span>}</li>)}
          </ul>
          <form class="inline-form" aria-label="Add a collaborator" onSubmit={(e) => (e.preventDefault(), void action.run(async () => (await api('POST', appPath(app.name, '/collaborators'), { user: email }), setEmail(''), collaborators.reload())))}>
            <Field label="Email" name="collab-email" type="email" value={email} onInput={setEmail} required />
            <button type="submit" disabled={action.busy}>Add collaborator</button>
          </form>
        </>
      )}
    </Section>
  );
}
