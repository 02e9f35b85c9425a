/**
 * The pre-receive hook installed in every app's bare repo. git runs it with
 * the environment of `git http-backend`, which the server started with a
 * one-time token and its loopback URL. It hands the pushed refs and the
 * object quarantine to the server, prints the build output as it arrives
 * (git shows it as `remote:` lines) and exits with the build's verdict.
 */
export const PRE_RECEIVE_JS = `// Installed by cupaas; rewritten when the server starts. Do not edit.
import { request } from 'node:http';

const { CUPAAS_HOOK_URL: url, CUPAAS_HOOK_TOKEN: token } = process.env;
if (!url || !token) {
  console.log('cupaas: push through the cupaas server (git push over HTTP) to deploy.');
  process.exit(1);
}
let refs = '';
for await (const chunk of process.stdin) refs += chunk;
const env = {};
for (const k of ['GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_QUARANTINE_PATH']) {
  if (process.env[k]) env[k] = process.env[k];
}
const body = JSON.stringify({ token, refs, env });
const status = await new Promise((resolve) => {
  const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
    let pending = '';
    let verdict = 1;
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\\n');
      pending = lines.pop();
      for (const line of lines) {
        const m = /^\\u0000status:(\\d+)$/.exec(line);
        if (m) verdict = Number(m[1]);
        else process.stdout.write(line + '\\n');
      }
    });
    res.on('end', () => resolve(res.statusCode === 200 ? verdict : 1));
    res.on('error', () => resolve(1));
  });
  req.on('error', (e) => {
    console.log('cupaas: cannot reach the server to build this push: ' + e.message);
    resolve(1);
  });
  req.end(body);
});
process.exit(status);
`;

/** The status line that ends the hook's response; the hook exits with its code. */
export const verdictLine = (ok: boolean): string => `\u0000status:${ok ? 0 : 1}\n`;
