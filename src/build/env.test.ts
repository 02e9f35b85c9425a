import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_STACK_PATH } from '../config/index.js';
import { buildConfig, buildEnv, isRestrictedBuildVar, writeEnvDir } from './env.js';

describe('buildEnv', () => {
  const host = { stackPath: DEFAULT_STACK_PATH, npmRegistry: 'http://npm.mirror/', pipIndexUrl: 'http://pypi.mirror/simple/', pipFindLinks: '/srv/wheels' };

  it("runs builds on the stack's PATH with the host's package mirrors", () => {
    const env = buildEnv('/build', {}, host);
    assert.equal(env.PATH, DEFAULT_STACK_PATH);
    assert.equal(env.npm_config_registry, 'http://npm.mirror/');
    assert.equal(env.PIP_INDEX_URL, 'http://pypi.mirror/simple/');
    assert.equal(env.PIP_FIND_LINKS, '/srv/wheels');
    assert.equal(buildEnv('/build', {}, { ...host, pipIndexUrl: null, pipFindLinks: null }).PIP_INDEX_URL, undefined);
  });

  it("lets the app's config vars choose their own mirrors, but never the PATH", () => {
    const env = buildEnv('/build', { PIP_INDEX_URL: 'http://mine/simple/', PATH: '/root/.pyenv/shims' }, host);
    assert.equal(env.PIP_INDEX_URL, 'http://mine/simple/');
    assert.equal(env.PATH, DEFAULT_STACK_PATH);
  });
});

describe('config vars a build ignores', () => {
  const host = { stackPath: DEFAULT_STACK_PATH, npmRegistry: null, pipIndexUrl: null, pipFindLinks: null };
  const hostile = {
    BASH_ENV: '$(id > /tmp/x)', ENV: '/tmp/x', NODE_OPTIONS: '--require /tmp/x.js', LD_PRELOAD: '/tmp/x.so',
    LD_LIBRARY_PATH: '/tmp', LD_AUDIT: '/tmp/x.so', PYTHONSTARTUP: '/tmp/x.py', PYTHONPATH: '/tmp', PERL5OPT: '-Mx',
    RUBYOPT: '-rx', JAVA_TOOL_OPTIONS: '-javaagent:x', GIT_SSH_COMMAND: 'sh -c x', GIT_CONFIG_GLOBAL: '/tmp/x',
    'BASH_FUNC_ls%%': '() { id; }', SHELLOPTS: 'xtrace', PS4: '$(id)', GLIBC_TUNABLES: 'x', NPM_CONFIG_NODE_OPTIONS: '-r x',
    npm_config_script_shell: '/tmp/x', PATH: '/tmp', HOME: '/tmp', CPATH: '/tmp', LIBRARY_PATH: '/tmp', GIT_DIR: '/tmp',
  };

  it('drops every variable that changes how shells and runtimes start, from the env and from ENV_DIR', () => {
    const env = buildEnv('/build', { ...hostile, GREETING: 'hi', NODE_ENV: 'production', PIP_INDEX_URL: 'http://m/' }, host);
    for (const k of Object.keys(hostile)) if (!['PATH', 'HOME'].includes(k)) assert.equal(env[k], undefined, k);
    assert.equal(env.PATH, DEFAULT_STACK_PATH);
    assert.equal(env.HOME, '/build');
    assert.deepEqual([env.GREETING, env.NODE_ENV, env.PIP_INDEX_URL], ['hi', 'production', 'http://m/'], 'ordinary config vars stay');
    const { ignored } = buildConfig({ ...hostile, GREETING: 'hi' });
    assert.deepEqual(ignored.sort(), Object.keys(hostile).sort());
    const dir = mkdtempSync(join(tmpdir(), 'cupaas-envdir-'));
    try {
      writeEnvDir(dir, { ...hostile, GREETING: 'hi' });
      assert.deepEqual(readdirSync(dir), ['GREETING']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names prefixes and case as npm reads them, without catching look-alikes', () => {
    for (const k of ['LD_BIND_NOW', 'DYLD_INSERT_LIBRARIES', 'GIT_EXEC_PATH', 'BASH_FUNC_x%%', 'Npm_Config_Script_Shell']) assert.ok(isRestrictedBuildVar(k), k);
    for (const k of ['OLD_PRELOAD', 'MY_NODE_OPTIONS', 'GITHUB_TOKEN', 'ENVIRONMENT', 'npm_config_registry', 'NODE_ENV']) assert.ok(!isRestrictedBuildVar(k), k);
  });
});
