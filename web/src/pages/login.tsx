import { useState } from 'preact/hooks';
import type { SessionInfo } from '../../../src/domain/index.js';
import { login } from '../api.js';
import { ErrorNote, Field } from '../components.js';
import { useAction } from '../hooks.js';

/** Email and password (the platform's OAuth flow), or an API key pasted once. */
export function LoginPage({ onLogin }: { onLogin: (s: SessionInfo) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [apiKey, setApiKey] = useState('');
  const action = useAction();
  const submit = (body: Parameters<typeof login>[0]) => (e: Event) => {
    e.preventDefault();
    void action.run(async () => onLogin(await login(body)));
  };
  return (
    <main class="login">
      <h1>Log in to cupaas</h1>
      <form onSubmit={submit({ email, password })} aria-label="Log in with email">
        <Field label="Email" name="email" type="email" value={email} onInput={setEmail} autoComplete="username" required />
        <Field label="Password" name="password" type="password" value={password} onInput={setPassword} autoComplete="current-password" required />
        <button type="submit" disabled={action.busy}>Log in</button>
      </form>
      <p class="or">or</p>
      <form onSubmit={submit({ api_key: apiKey })} aria-label="Log in with an API key">
        <Field label="API key" name="api_key" type="password" value={apiKey} onInput={setApiKey} autoComplete="off" required />
        <button type="submit" disabled={action.busy}>Log in with key</button>
        <p class="hint">`cupaas auth:token` prints your key.</p>
      </form>
      <ErrorNote error={action.error} />
    </main>
  );
}
