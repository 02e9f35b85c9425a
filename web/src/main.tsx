import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SessionInfo } from '../../src/domain/index.js';
import { logout, resume, setLoggedOutHandler } from './api.js';
import { useHashRoute } from './hooks.js';
import { AppPage } from './pages/app.js';
import { AppsPage } from './pages/apps.js';
import { CreateAppPage } from './pages/create-app.js';
import { LoginPage } from './pages/login.js';
import './styles.css';

function Routed({ route }: { route: string }) {
  const app = /^\/apps\/([^/]+)(?:\/([\w-]+))?$/.exec(route);
  if (app) return <AppPage name={decodeURIComponent(app[1] as string)} tab={app[2] ?? 'overview'} />;
  if (route === '/new') return <CreateAppPage />;
  return <AppsPage />;
}

function Dashboard() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const route = useHashRoute();
  useEffect(() => {
    setLoggedOutHandler(() => setSession(null));
    resume().then(setSession, () => setSession(null));
  }, []);
  if (session === undefined) return <p class="loading">Loading…</p>;
  if (!session) return <LoginPage onLogin={setSession} />;
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">cupaas</a>
        <nav aria-label="Main">
          <a href="#/">Apps</a>
          <a href="#/new">New app</a>
        </nav>
        <span class="who">{session.user.email}</span>
        <button type="button" class="link" onClick={() => void logout().then(() => setSession(null))}>
          Log out
        </button>
      </header>
      <main>
        <Routed route={route} />
      </main>
    </>
  );
}

render(<Dashboard />, document.getElementById('root') as HTMLElement);
