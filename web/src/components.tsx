import type { ComponentChildren } from 'preact';

export function ErrorNote({ error }: { error: string | null | undefined }) {
  return error ? <p class="error" role="alert">{error}</p> : null;
}

/** A labelled input: every control in the dashboard has a visible label. */
export function Field(props: {
  label: string;
  name: string;
  value: string;
  onInput: (v: string) => void;
  type?: 'text' | 'email' | 'password' | 'number';
  required?: boolean;
  placeholder?: string;
  autoComplete?: string;
}) {
  const id = `f-${props.name}`;
  return (
    <p class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        required={props.required}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
    </p>
  );
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="card" aria-label={title}>
      <header class="card-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

/** A state as a coloured word (never colour alone: the word is the information). */
export function Badge({ state }: { state: string }) {
  return <span class={`badge badge-${state}`}>{state}</span>;
}

export const ago = (iso: string | null | undefined): string => {
  if (!iso) return 'never';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return `${Math.round(s)}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
};
