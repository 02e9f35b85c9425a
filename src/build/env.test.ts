import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_STACK_PATH } from '../config/index.js';
import { buildEnv } from './env.js';

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
