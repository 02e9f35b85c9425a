import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DEFAULT_STACK_PATH } from '../../config/index.js';
import { buildSandboxReport } from './doctor.js';
import { SANDBOX_AUTO } from '../../../test/support/sandbox-config.js';

const host = { stackPath: DEFAULT_STACK_PATH, npmRegistry: 'http://127.0.0.1:4873/', pipIndexUrl: null, pipFindLinks: '/srv/wheels' };
const sandbox = SANDBOX_AUTO;

it('the doctor says plainly when builds run unsandboxed', async () => {
  const report = await buildSandboxReport({ ...host, sandbox: { ...sandbox, mode: 'off' }, build: { size: 'standard-1x', buildpackDirs: [] } });
  assert.match(report, /^build isolation: none$/m);
  assert.match(report, /^\[off\] build sandbox: the sandbox is turned off \(CUPAAS_SANDBOX=off\); builds run as the server's user/m);
  assert.match(report, /buildpacks by server path: none allowed \(CUPAAS_BUILDPACK_DIRS\)/);
});

it('the doctor names the build limits and the only way out', { skip: process.getuid?.() === 0 ? false : 'the sandbox needs root' }, async () => {
  const report = await buildSandboxReport({ ...host, sandbox, build: { size: 'standard-2x', buildpackDirs: ['/opt/buildpacks'] } });
  assert.match(report, /^build isolation: bubblewrap\+cgroup-v[12]\+private network$/m);
  assert.match(report, /\[on\]  build limits: standard-2x \(CUPAAS_BUILD_SIZE\): 1024 MB memory, 2 CPU, 512 processes/);
  assert.match(report, /\[on\]  build network: loopback only; way out: 127\.0\.0\.1:4873, pypi\.org:443, files\.pythonhosted\.org:443, \/srv\/wheels \(read-only\)/);
  assert.match(report, /buildpacks by server path: \/opt\/buildpacks/);
});
