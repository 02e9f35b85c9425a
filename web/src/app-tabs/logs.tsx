import { useEffect, useRef, useState } from 'preact/hooks';
import type { LogSessionInfo } from '../../../src/domain/index.js';
import { api, appPath, sameOrigin } from '../api.js';
import { ErrorNote, Field, Section } from '../components.js';
import type { TabProps } from '../pages/app.js';

const KEEP = 1000;

/** Live logs over SSE (a log session's stream), filtered by source and dyno like `cupaas logs -s -d`. */
export function Logs({ app }: TabProps) {
  const [source, setSource] = useState('');
  const [dyno, setDyno] = useState('');
  const [filter, setFilter] = useState({ source: '', dyno: '' });
  const [lines, setLines] = useState<string[]>([]);
  const [status, setStatus] = useState('connecting');
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    let stream: EventSource | undefined;
    let live = true;
    setLines([]);
    setStatus('connecting');
    const body = { tail: true, lines: 200, ...(filter.source ? { source: filter.source } : {}), ...(filter.dyno ? { dyno: filter.dyno } : {}) };
    api<LogSessionInfo>('POST', appPath(app.name, '/log-sessions'), body).then(
      (s) => {
        if (!live) return;
        stream = new EventSource(sameOrigin(s.logplex_url));
        stream.onopen = () => setStatus('live');
        stream.onerror = () => setStatus('reconnecting');
        stream.onmessage = (e: MessageEvent<string>) => setLines((cur) => [...cur.slice(-(KEEP - 1)), e.data]);
      },
      (e: unknown) => setError(String(e)),
    );
    return () => {
      live = false;
      stream?.close();
    };
  }, [app.name, filter.source, filter.dyno]);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines.length]);
  return (
    <Section title="Logs" actions={<span class="muted" role="status">{status}</span>}>
      <form class="filters" aria-label="Log filters" onSubmit={(e) => (e.preventDefault(), setFilter({ source, dyno }))}>
        <p class="field">
          <label for="log-source">Source</label>
          <select id="log-source" value={source} onChange={(e) => setSource((e.target as HTMLSelectElement).value)}>
            <option value="">all</option>
            <option value="app">app</option>
            <option value="heroku">heroku (platform)</option>
          </select>
        </p>
        <Field label="Dyno or process type" name="log-dyno" value={dyno} onInput={setDyno} placeholder="web.1, router, api" />
        <button type="submit">Apply</button>
      </form>
      <ErrorNote error={error} />
      <pre class="output logs" ref={box} aria-label="Log lines" aria-live="polite" tabIndex={0}>{lines.join('\n')}</pre>
    </Section>
  );
}
