/**
 * Build limits (issue 3) on a server started with tight settings: the time
 * limit stops a build and every process it started, the output limit stops a
 * noisy one, and with one build slot a second app's build waits and says so.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
const temp = mkdtempSync(join(tmpdir(), 'cupaas-limits-'));
before(async () => {
  p = await startPlatform({ env: { CUPAAS_BUILD_TIMEOUT: '3', CUPAAS_BUILD_MAX_OUTPUT: '4000', CUPAAS_BUILD_CONCURRENCY: '1' } });
});
after(async () => {
  await p?.cleanup();
  rmSync(temp, { recursive: true, force: true });
});

/** Starts a build of an app whose own buildpack compiles with `compile` (a shell script body). */
async function buildWith(app: string, compile: string): Promise<any> {
  assert.equal((await p.api('POST', '/apps', { name: app })).status, 201);
  const dir = mkdtempSync(join(temp, 'app-'));
  const files = {
    '.cupaas': 'buildpacks: [./bp]\n',
    'bp/bin/detect': '#!/bin/sh\necho Custom\n',
    'bp/bin/compile': `#!/bin/sh\n${compile}\n`,
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content, { mode: 0o755 });
  }
  const file = join(temp, `${app}.tgz`);
  await tar.create({ gzip: true, file, cwd: dir, portable: true }, ['.']);
  const src = (await p.api('POST', '/sources')).body.source_blob;
  assert.equal((await fetch(src.put_url, { method: 'PUT', body: new Uint8Array(readFileSync(file)) })).status, 200);
  const r = await p.api('POST', `/apps/${app}/builds`, { source_blob: { url: src.get_url } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

const output = async (build: any) => (await fetch(build.output_stream_url)).text();

async function finished(app: string, id: string) {
  return waitFor(async () => {
    const b = (await p.api('GET', `/apps/${app}/builds/${id}`)).body;
    return b.status !== 'pending' && b;
  }, { timeoutMs: 60_000, what: 'the build to finish' });
}

const stillRunning = (marker: string) => {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
};

describe('build limits', () => {
  it('stops a build at the time limit, with its processes, and says why', async () => {
    const build = await buildWith('slow-app', 'echo "-----> working"\n(sleep 61.25) &\nexec sleep 61.5');
    const text = await output(build);
    assert.match(text, /Build exceeded the time limit of 3 seconds \(CUPAAS_BUILD_TIMEOUT\) and was stopped\./);
    const b = await finished('slow-app', build.id);
    assert.equal(b.status, 'failed');
    await waitFor(() => !stillRunning('sleep 61.5') && !stillRunning('sleep 61.25'), { what: 'build processes to be gone' });
  });

  it('stops a build whose output passes the limit, and says why', async () => {
    const build = await buildWith('noisy-app', 'i=0; while [ $i -lt 2000 ]; do echo "line $i of noise"; i=$((i+1)); done');
    const text = await output(build);
    assert.match(text, /Build output passed the limit of 4000 bytes \(CUPAAS_BUILD_MAX_OUTPUT\)/);
    assert.ok(text.length < 6000, `output was capped (${text.length} chars)`);
    assert.equal((await finished('noisy-app', build.id)).status, 'failed');
  });

  it('with one build slot, a second app waits for it and says so', async () => {
    const first = await buildWith('slot-a', 'sleep 2');
    const second = await buildWith('slot-b', 'true');
    const [, text] = await Promise.all([output(first), output(second)]);
    assert.match(text, /Waiting for a free build slot \(1 builds running; limit CUPAAS_BUILD_CONCURRENCY\)/);
  });
});
