import { useEffect, useState } from 'preact/hooks';
import type { AppInfo } from '../../../src/domain/index.js';
import { get } from '../api.js';
import { ago, Badge, ErrorNote } from '../components.js';
import { useLoad } from '../hooks.js';
import { eachLimited, loadState, type AppState } from '../state.js';

/** Every app with its state at a glance: running / crashed / deploying, last release, URL. */
export function AppsPage() {
  const apps = useLoad(() => get<AppInfo[]>('/apps'), [], 10_000);
  const [states, setStates] = useState<Record<string, AppState>>({});
  const names = (apps.data ?? []).map((a) => a.name).join(',');
  useEffect(() => {
    let live = true;
    void eachLimited(names ? names.split(',') : [], 6, async (name) => {
      const s = await loadState(name);
      if (live) setStates((cur) => (cur[name] === s ? cur : { ...cur, [name]: s }));
    });
    return () => {
      live = false;
    };
  }, [names, apps.data]);
  return (
    <>
      <div class="page-head">
        <h1>Apps</h1>
        <a class="button" href="#/new">New app</a>
      </div>
      <ErrorNote error={apps.error} />
      {apps.data && !apps.data.length && <p>No apps yet. Create one, then push code to it.</p>}
      <ul class="app-list" aria-label="Apps">
        {(apps.data ?? []).map((a) => (
          <li key={a.id} class="app-row" data-app={a.name}>
            <a class="app-name" href={`#/apps/${encodeURIComponent(a.name)}`}>{a.name}</a>
            <Badge state={states[a.name] ?? 'loading'} />
            <span class="muted">released {ago(a.released_at)}</span>
            <a class="muted url" href={a.web_url} target="_blank" rel="noopener noreferrer">{a.web_url}</a>
          </li>
        ))}
      </ul>
    </>
  );
}
