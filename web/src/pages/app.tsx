import { lazy, Suspense } from 'preact/compat';
import type { AppInfo, AppPermissionsInfo } from '../../../src/domain/index.js';
import { appPath, get } from '../api.js';
import { ErrorNote } from '../components.js';
import { useLoad } from '../hooks.js';
import { Access } from '../app-tabs/access.js';
import { Activity } from '../app-tabs/activity.js';
import { Addons } from '../app-tabs/addons.js';
import { ConfigVars } from '../app-tabs/config-vars.js';
import { Domains } from '../app-tabs/domains.js';
import { Logs } from '../app-tabs/logs.js';
import { Overview } from '../app-tabs/overview.js';
import { Settings } from '../app-tabs/settings.js';

// Charts are the heaviest part; they load only when the metrics tab opens.
const Metrics = lazy(() => import('../app-tabs/metrics.js').then((m) => m.Metrics));

const TABS = [
  ['overview', 'Overview'], ['activity', 'Activity'], ['logs', 'Logs'], ['config', 'Config vars'], ['addons', 'Add-ons'],
  ['domains', 'Domains'], ['access', 'Access'], ['metrics', 'Metrics'], ['settings', 'Settings'],
] as const;

export interface TabProps {
  app: AppInfo;
  reloadApp: () => void;
  /** What the caller's role allows; controls it does not allow are not shown (the API refuses them anyway). */
  can: AppPermissionsInfo['can'];
}

function Tab({ tab, ...props }: TabProps & { tab: string }) {
  switch (tab) {
    case 'activity': return <Activity {...props} />;
    case 'logs': return <Logs {...props} />;
    case 'config': return <ConfigVars {...props} />;
    case 'addons': return <Addons {...props} />;
    case 'domains': return <Domains {...props} />;
    case 'access': return <Access {...props} />;
    case 'metrics': return <Suspense fallback={<p>Loading charts…</p>}><Metrics {...props} /></Suspense>;
    case 'settings': return <Settings {...props} />;
    default: return <Overview {...props} />;
  }
}

export function AppPage({ name, tab }: { name: string; tab: string }) {
  const app = useLoad(() => get<AppInfo>(appPath(name)), [name]);
  const perms = useLoad(() => get<AppPermissionsInfo>(appPath(name, '/permissions')), [name]);
  const base = `#/apps/${encodeURIComponent(name)}`;
  return (
    <>
      <div class="page-head">
        <h1>{name}</h1>
        {perms.data && <span class="muted">your role: {perms.data.role}</span>}
        {app.data && <a class="muted url" href={app.data.web_url} target="_blank" rel="noopener noreferrer">Open app</a>}
      </div>
      <nav class="tabs" aria-label="App sections">
        {TABS.map(([id, label]) => (
          <a key={id} href={`${base}/${id}`} aria-current={id === tab ? 'page' : undefined}>{label}</a>
        ))}
      </nav>
      <ErrorNote error={app.error} />
      {app.data && perms.data && <Tab tab={tab} app={app.data} reloadApp={app.reload} can={perms.data.can} />}
    </>
  );
}
