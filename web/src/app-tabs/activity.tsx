import { useEffect, useRef, useState } from 'preact/hooks';
import type { BuildInfo, LogSessionInfo, ReleaseInfo } from '../../../src/domain/index.js';
import { api, appPath, get, sameOrigin, streamLines } from '../api.js';
import { ago, Badge, ErrorNote, Section } from '../components.js';
import { useAction, useLoad } from '../hooks.js';
import type { TabProps } from '../pages/app.js';

/** A build's output, streamed while it runs (the same stream `git push` shows as `remote:` lines). */
function BuildOutput({ build }: { build: BuildInfo }) {
  const [lines, setLines] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const abort = new AbortController();
    setLines([]);
    streamLines(build.output_stream_url, (l) => setLines((cur) => [...cur, l]), abort.signal).catch((e: unknown) => {
      if (!abort.signal.aborted) setError(String(e));
    });
    return () => abort.abort();
  }, [build.id]);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines.length]);
  return (
    <>
      <pre class="output" ref={box} aria-label={`Output of build ${build.id}`} aria-live="polite" tabIndex={0}>{lines.join('\n')}</pre>
      <ErrorNote error={error} />
    </>
  );
}

/** Which config var names a release added or removed compared with the one before. */
function ConfigDiff({ app, release }: { app: string; release: ReleaseInfo }) {
  const diff = useLoad(async () => {
    const names = async (v: number) => (v < 1 ? [] : Object.keys(await get<Record<string, string>>(appPath(app, `/releases/${v}/config-vars`))));
    const [now, before] = await Promise.all([names(release.version), names(release.version - 1)]);
    return { added: now.filter((n) => !before.includes(n)), removed: before.filter((n) => !now.includes(n)) };
  }, [app, release.version]);
  if (!diff.data) return <ErrorNote error={diff.error} />;
  const { added, removed } = diff.data;
  if (!added.length && !removed.length) return <p class="muted">No config var added or removed.</p>;
  return (
    <p class="diff">
      {added.map((n) => <span key={n} class="added">+{n} </span>)}
      {removed.map((n) => <span key={n} class="removed">−{n} </span>)}
    </p>
  );
}

function Releases({ app, canRollback }: { app: string; canRollback: boolean }) {
  const releases = useLoad(() => get<ReleaseInfo[]>(appPath(app, '/releases'), 'version ..; max=15, order=desc'), [app], 4000);
  const [open, setOpen] = useState<number | null>(null);
  const action = useAction();
  const rollback = (r: ReleaseInfo) =>
    void action.run(async () => {
      await api('POST', appPath(app, '/releases'), { release: r.id });
      releases.reload();
    });
  return (
    <Section title="Releases">
      <ErrorNote error={releases.error ?? action.error} />
      <ul class="timeline" aria-label="Releases">
        {(releases.data ?? []).map((r) => (
          <li key={r.id} data-release={r.version}>
            <strong>v{r.version}</strong> {r.description} <Badge state={r.current ? 'current' : r.status} />
            <span class="muted"> {r.user?.email ?? ''} · {ago(r.created_at)}</span>
            <span class="actions">
              <button type="button" class="link" aria-expanded={open === r.version} onClick={() => setOpen(open === r.version ? null : r.version)}>
                Config changes
              </button>
              {canRollback && !r.current && r.slug && (
                <button type="button" disabled={action.busy} onClick={() => rollback(r)} aria-label={`Roll back to v${r.version}`}>
                  Roll back to here
                </button>
              )}
            </span>
            {open === r.version && <ConfigDiff app={app} release={r} />}
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** `heroku[api]` lines about scaling (by users and the autoscaler), newest first. */
function ScaleEvents({ app }: { app: string }) {
  const events = useLoad(async () => {
    const s = await api<LogSessionInfo>('POST', appPath(app, '/log-sessions'), { lines: 1500, source: 'heroku', dyno: 'api' });
    const text = await (await fetch(sameOrigin(s.logplex_url), { credentials: 'same-origin' })).text();
    return text.split('\n').filter((l) => l.includes('Scaled to')).reverse().slice(0, 10);
  }, [app], 5000);
  if (!events.data?.length) return null;
  return (
    <Section title="Scaling">
      <ul class="timeline" aria-label="Scaling events">
        {events.data.map((l, i) => <li key={i}><code>{l}</code></li>)}
      </ul>
    </Section>
  );
}

/** Builds with live output, releases with one-click rollback, and scaling events. */
export function Activity({ app, can }: TabProps) {
  const builds = useLoad(() => get<BuildInfo[]>(appPath(app.name, '/builds'), 'created_at ..; max=10, order=desc'), [app.name], 3000);
  const [shown, setShown] = useState<string | null>(null);
  const running = builds.data?.find((b) => b.status === 'pending');
  const current = shown ?? running?.id ?? null;
  return (
    <>
      <Section title="Builds">
        <ErrorNote error={builds.error} />
        {builds.data && !builds.data.length && <p class="muted">No builds yet. Push code: <code>git push {app.git_url} {app.deploy_branch}</code></p>}
        <ul class="timeline" aria-label="Builds">
          {(builds.data ?? []).map((b) => (
            <li key={b.id} data-build={b.id}>
              <Badge state={b.status} /> {b.source_blob.version?.slice(0, 8) ?? 'source'} <span class="muted">{b.trigger} · {b.user?.email ?? ''} · {ago(b.created_at)}</span>
              <button type="button" class="link" aria-expanded={current === b.id} onClick={() => setShown(current === b.id ? '' : b.id)}>
                {current === b.id ? 'Hide output' : 'Show output'}
              </button>
              {current === b.id && <BuildOutput build={b} />}
            </li>
          ))}
        </ul>
      </Section>
      <Releases app={app.name} canRollback={can.deploy} />
      <ScaleEvents app={app.name} />
    </>
  );
}
