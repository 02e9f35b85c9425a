import { useState } from 'preact/hooks';
import type { AppInfo, RepoConnectResult } from '../../../src/domain/index.js';
import { api, appPath } from '../api.js';
import { ErrorNote, Field, Section } from '../components.js';
import { useAction } from '../hooks.js';

/** Creates an app and, optionally, connects a repository branch (showing the webhook to paste into the forge). */
export function CreateAppPage() {
  const [name, setName] = useState('');
  const [repo, setRepo] = useState('');
  const [branch, setBranch] = useState('main');
  const [created, setCreated] = useState<AppInfo | null>(null);
  const [hook, setHook] = useState<RepoConnectResult | null>(null);
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      const app = created ?? (await api<AppInfo>('POST', '/apps', name ? { name } : {}));
      setCreated(app);
      if (repo) setHook(await api<RepoConnectResult>('PUT', appPath(app.name, '/repo'), { url: repo, branch }));
      else location.hash = `#/apps/${encodeURIComponent(app.name)}`;
    });
  };
  return (
    <>
      <h1>Create an app</h1>
      <form onSubmit={submit} aria-label="Create an app">
        <Field label="App name (blank for a generated one)" name="name" value={name} onInput={setName} placeholder="my-app" />
        <Field label="Repository URL to deploy from (optional)" name="repo" value={repo} onInput={setRepo} placeholder="https://github.com/you/app.git" />
        <Field label="Branch" name="branch" value={branch} onInput={setBranch} />
        <button type="submit" disabled={action.busy}>Create app</button>
      </form>
      <ErrorNote error={action.error} />
      {hook && created && (
        <Section title="Webhook">
          <p>Add this webhook to the repository (GitHub, GitLab, Gitea: content type JSON, push events) so pushes deploy at once:</p>
          <dl class="pairs">
            <dt>Payload URL</dt>
            <dd><code>{hook.webhook_url}</code></dd>
            <dt>Secret (shown once)</dt>
            <dd><code>{hook.webhook_secret}</code></dd>
          </dl>
          <a class="button" href={`#/apps/${encodeURIComponent(created.name)}`}>Open {created.name}</a>
        </Section>
      )}
    </>
  );
}
