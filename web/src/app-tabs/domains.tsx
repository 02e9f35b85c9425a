import { useState } from 'preact/hooks';
import type { DomainInfo } from '../../../src/domain/index.js';
import { api, appPath, get } from '../api.js';
import { ErrorNote, Field, Section } from '../components.js';
import { useAction, useLoad } from '../hooks.js';
import type { TabProps } from '../pages/app.js';

/** The app's hostnames; a custom domain shows the CNAME target to set at the DNS provider. */
export function Domains({ app }: TabProps) {
  const domains = useLoad(() => get<DomainInfo[]>(appPath(app.name, '/domains')), [app.name]);
  const [hostname, setHostname] = useState('');
  const action = useAction();
  return (
    <Section title="Domains">
      <ErrorNote error={domains.error ?? action.error} />
      <table class="vars" aria-label="Domains">
        <thead><tr><th scope="col">Hostname</th><th scope="col">DNS target</th><th scope="col">Status</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {(domains.data ?? []).map((d) => (
            <tr key={d.id}>
              <td><code>{d.hostname}</code></td>
              <td>{d.cname ? <code>{d.cname}</code> : <span class="muted">built in</span>}</td>
              <td>{d.status}</td>
              <td>{d.kind === 'custom' && (
                <button type="button" class="link danger" aria-label={`Remove ${d.hostname}`}
                  onClick={() => void action.run(async () => (await api('DELETE', appPath(app.name, `/domains/${encodeURIComponent(d.hostname)}`)), domains.reload()))}>Remove</button>
              )}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="inline-form" aria-label="Add a domain" onSubmit={(e) => (e.preventDefault(), void action.run(async () => (await api('POST', appPath(app.name, '/domains'), { hostname }), setHostname(''), domains.reload())))}>
        <Field label="Custom domain" name="hostname" value={hostname} onInput={setHostname} placeholder="www.example.com" required />
        <button type="submit" disabled={action.busy}>Add domain</button>
      </form>
      <p class="muted">Certificates: the router terminates TLS for custom domains where the platform has TLS configured.</p>
    </Section>
  );
}
