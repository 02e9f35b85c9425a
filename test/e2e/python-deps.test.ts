/**
 * A Python app with a dependency (a wheel vendored in the app, no network),
 * pushed with git, built by the real buildpack and run as a sandboxed dyno: it
 * must import its dependency from the slug's venv, on an interpreter the
 * sandbox shows (the stack's /usr, never the operator's pyenv under /root).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { sandboxDoctor } from '../../src/runtime/local/sandbox/index.js';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';
import { writeTinyWheel } from '../support/python-wheel.js';
import { SANDBOX_AUTO } from '../support/sandbox-config.js';

const APP = 'py-deps';
/** The platform's defaults (CUPAAS_SANDBOX=auto): what its dynos get on this host. */
const doctor = await sandboxDoctor(SANDBOX_AUTO);
const sandboxed = doctor.isolation.startsWith('bubblewrap');

const APP_PY = `
import json, os, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import tinypkg

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"greeting": tinypkg.GREETING, "module": tinypkg.__file__,
                           "base": sys.base_prefix, "prefix": sys.prefix}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
`;

let p: TestPlatform;
before(async () => {
  p = await startPlatform();
  writeNetrc(p);
  assert.equal((await p.api('POST', '/apps', { name: APP })).status, 201);
});
after(() => p?.cleanup());

const get = (path: string): Promise<{ status: number; text: string }> =>
  new Promise((resolve, reject) => {
    const req = request(`${p.routerUrl}${path}`, { headers: { Host: `${APP}.localhost` } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });

it('a Python app with a vendored wheel builds offline and its dyno imports it and serves', async (t) => {
  const tree = await appWorkTree(p, APP);
  t.after(() => rmSync(tree.dir, { recursive: true, force: true }));
  const wheel = writeTinyWheel(join(tree.dir, 'vendor'), 'tinypkg', '1.0', 'GREETING = "hi from tinypkg"\n');
  await tree.commit('python app with a vendored dependency', {
    'requirements.txt': `./vendor/${wheel}\n`,
    'app.py': APP_PY,
    Procfile: 'web: python3 app.py\n',
  });
  const push = await tree.push();
  assert.equal(push.code, 0, push.output);
  assert.match(push.output, /remote: .*Successfully installed tinypkg-1\.0/);
  assert.match(push.output, /remote: -----> Using Python [\d.]+ \(\/usr\//);

  let last = '';
  const served = await waitFor(async () => {
    const r = await get('/').catch((e: Error) => ({ status: 0, text: e.message }));
    last = `${r.status} ${r.text}`;
    return r.status === 200 ? (JSON.parse(r.text) as Record<string, string>) : false;
  }, { timeoutMs: 60_000, what: `${APP} to serve` }).catch(async (e: Error) => {
    const session = (await p.api('POST', `/apps/${APP}/log-sessions`, { lines: 200 })).body as { logplex_url: string };
    throw new Error(`${e.message}; last answer: ${last}\n${await (await fetch(session.logplex_url)).text()}`);
  });
  assert.equal(served.greeting, 'hi from tinypkg');
  assert.equal(served.base, '/usr', "the venv's base interpreter is the stack's");

  const dynos = (await p.api('GET', `/apps/${APP}/dynos`)).body as { name: string; isolation: string }[];
  const web = dynos.find((d) => d.name === 'web.1');
  if (sandboxed) {
    assert.match(web?.isolation ?? '', /^bubblewrap/, 'the dyno runs in the sandbox');
    assert.equal(served.prefix, '/app/.venv');
    assert.match(served.module ?? '', /^\/app\/\.venv\/lib\/python3\.\d+\/site-packages\/tinypkg\/__init__\.py$/);
  } else {
    assert.match(served.module ?? '', /\/\.venv\/lib\/python3\.\d+\/site-packages\/tinypkg\//);
  }
});
