/** `cupaas logs --tail` against a real server shows router and api lines as they happen. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { SERVER_ENTRY, startPlatform, TSX_ARGS, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
before(async () => {
  p = await startPlatform();
});
after(() => p.cleanup());

test('logs --tail follows the app live', async (t) => {
  assert.equal((await p.cli(['apps:create', 'tail-app'])).code, 0);
  const child = spawn(process.execPath, [...TSX_ARGS, SERVER_ENTRY, 'logs', '--tail', '-a', 'tail-app'], {
    env: p.clientEnv(), stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => void child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  // The session is open once the CLI is streaming; lines from before it would show anyway (history).
  await new Promise<void>((resolve, reject) => {
    const req = request(p.routerUrl as string, { headers: { Host: 'tail-app.localhost' } }, (res) => res.resume().on('end', resolve));
    req.on('error', reject);
    req.end();
  });
  await waitFor(() => /heroku\[router\]: at=error code=H14 desc="No web processes running" method=GET path="\/" host=tail-app\.localhost/.test(out), {
    what: 'router line in logs --tail', timeoutMs: 20_000,
  });
  assert.equal((await p.cli(['config:set', 'LIVE=1', '-a', 'tail-app'])).code, 0);
  await waitFor(() => /heroku\[api\]: Set LIVE config vars by user admin@cupaas\.local/.test(out), {
    what: 'api line in logs --tail', timeoutMs: 20_000,
  });
  assert.equal(child.exitCode, null, 'the tail is still running');
});
