import { useEffect, useState } from 'preact/hooks';
import type { AutoscalingInfo, DynoInfo, FormationInfo } from '../../../src/domain/index.js';
import { api, appPath, get } from '../api.js';
import { ago, Badge, ErrorNote, Field, Section } from '../components.js';
import { useAction, useLoad } from '../hooks.js';
import type { TabProps } from '../pages/app.js';

interface DynoSize {
  name: string;
  memory: number;
}

function ScaleForm({ app, formation, sizes, onSaved }: { app: string; formation: FormationInfo[]; sizes: DynoSize[]; onSaved: () => void }) {
  const [wanted, setWanted] = useState<Record<string, { quantity: string; size: string }>>({});
  useEffect(() => setWanted(Object.fromEntries(formation.map((f) => [f.type, { quantity: String(f.quantity), size: f.size }]))), [formation]);
  const action = useAction();
  const save = (e: Event) => {
    e.preventDefault();
    const updates = Object.entries(wanted).map(([type, w]) => ({ type, quantity: Number(w.quantity), size: w.size }));
    void action.run(async () => {
      await api('PATCH', appPath(app, '/formation'), { updates });
      onSaved();
    });
  };
  return (
    <form onSubmit={save} aria-label="Scale" class="scale">
      {formation.map((f) => (
        <fieldset key={f.type}>
          <legend><code>{f.type}</code> <span class="muted">{f.command}</span></legend>
          <label for={`q-${f.type}`}>{f.type} dynos</label>
          <input id={`q-${f.type}`} name={`quantity-${f.type}`} type="number" min="0" max="100" value={wanted[f.type]?.quantity ?? ''}
            onInput={(e) => setWanted({ ...wanted, [f.type]: { ...(wanted[f.type] ?? { size: f.size }), quantity: (e.target as HTMLInputElement).value } })} />
          <label for={`s-${f.type}`}>{f.type} size</label>
          <select id={`s-${f.type}`} name={`size-${f.type}`} value={wanted[f.type]?.size ?? f.size}
            onChange={(e) => setWanted({ ...wanted, [f.type]: { ...(wanted[f.type] ?? { quantity: String(f.quantity) }), size: (e.target as HTMLSelectElement).value } })}>
            {sizes.map((s) => <option key={s.name} value={s.name}>{s.name} ({s.memory} GB)</option>)}
          </select>
        </fieldset>
      ))}
      <button type="submit" disabled={action.busy}>Save formation</button>
      <ErrorNote error={action.error} />
    </form>
  );
}

function AutoscaleForm({ app, onSaved }: { app: string; onSaved: () => void }) {
  const policy = useLoad(() => get<AutoscalingInfo>(appPath(app, '/formation/web/autoscaling')), [app]);
  const [form, setForm] = useState({ enabled: false, min: '1', max: '4', p95: '500' });
  useEffect(() => {
    const p = policy.data;
    // Never configured: suggest room to grow rather than the stored 1..1.
    if (p) setForm({ enabled: p.enabled, min: String(p.min_quantity), max: String(p.last_scaled_at || p.enabled ? p.max_quantity : Math.max(p.max_quantity, 4)), p95: String(p.p95_target_ms) });
  }, [policy.data]);
  const action = useAction();
  const save = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      await api('PUT', appPath(app, '/formation/web/autoscaling'), {
        enabled: form.enabled, min_quantity: Number(form.min), max_quantity: Number(form.max), p95_target_ms: Number(form.p95),
      });
      policy.reload();
      onSaved();
    });
  };
  return (
    <form onSubmit={save} aria-label="Autoscaling" class="autoscale">
      <p class="field inline">
        <input id="as-enabled" type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: (e.target as HTMLInputElement).checked })} />
        <label for="as-enabled">Autoscale web dynos on p95 response time</label>
      </p>
      <Field label="Minimum dynos" name="as-min" type="number" value={form.min} onInput={(v) => setForm({ ...form, min: v })} />
      <Field label="Maximum dynos" name="as-max" type="number" value={form.max} onInput={(v) => setForm({ ...form, max: v })} />
      <Field label="p95 target (ms)" name="as-p95" type="number" value={form.p95} onInput={(v) => setForm({ ...form, p95: v })} />
      <button type="submit" disabled={action.busy}>Save autoscaling</button>
      {policy.data?.last_scaled_at && <p class="muted">Last scaled {ago(policy.data.last_scaled_at)}</p>}
      <ErrorNote error={action.error ?? policy.error} />
    </form>
  );
}

/** Dynos by process type with the scale control, sizes and autoscaling. */
export function Overview({ app, can }: TabProps) {
  const formation = useLoad(() => get<FormationInfo[]>(appPath(app.name, '/formation')), [app.name], 5000);
  const dynos = useLoad(() => get<DynoInfo[]>(appPath(app.name, '/dynos')), [app.name], 3000);
  const sizes = useLoad(() => get<DynoSize[]>('/dyno-sizes'), []);
  const hasWeb = (formation.data ?? []).some((f) => f.type === 'web');
  return (
    <>
      <Section title="Dynos">
        <ErrorNote error={dynos.error} />
        {dynos.data && !dynos.data.length && <p class="muted">No dynos running.</p>}
        <ul class="dynos" aria-label="Dynos">
          {(dynos.data ?? []).map((d) => (
            <li key={d.id} data-dyno={d.name}>
              <code>{d.name}</code> <Badge state={d.state} /> <span class="muted">{d.size} · v{d.release.version} · since {ago(d.updated_at)}</span>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Formation">
        <ErrorNote error={formation.error} />
        {formation.data && !formation.data.length && <p>No process types yet: push code with a Procfile (`git push cupaas main`).</p>}
        {!can.deploy && (
          <ul class="dynos" aria-label="Formation">
            {(formation.data ?? []).map((f) => <li key={f.type}><code>{f.type}</code> × {f.quantity} <span class="muted">{f.size}</span></li>)}
          </ul>
        )}
        {can.deploy && formation.data && formation.data.length > 0 && (
          <ScaleForm app={app.name} formation={formation.data} sizes={sizes.data ?? []} onSaved={() => (formation.reload(), dynos.reload())} />
        )}
      </Section>
      {hasWeb && can.deploy && (
        <Section title="Autoscaling">
          <AutoscaleForm app={app.name} onSaved={formation.reload} />
        </Section>
      )}
      <Section title="Deploy">
        <p>Push with git: <code>git push {app.git_url} {app.deploy_branch}</code></p>
      </Section>
    </>
  );
}
