import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planMirrors } from './mirrors.js';

describe('the way out of a build: the configured mirrors only', () => {
  it('relays loopback mirrors on their own address and port, names on their own loopback address', () => {
    const plan = planMirrors({
      npmRegistry: 'http://127.0.0.1:4873/',
      pipIndexUrl: 'https://pypi.example.org/simple/',
      pipFindLinks: 'https://pypi.example.org/wheels/ /srv/wheels file:///srv/more-wheels',
    });
    assert.deepEqual(plan.endpoints, [
      { host: '127.0.0.1', port: 4873, listen: '127.0.0.1' },
      { host: 'pypi.example.org', port: 443, listen: '127.0.0.10' },
    ]);
    assert.equal(plan.env.pipFindLinks, 'https://pypi.example.org/wheels/ /srv/wheels file:///srv/more-wheels');
    assert.deepEqual(plan.hosts, [{ address: '127.0.0.10', name: 'pypi.example.org' }]);
    assert.deepEqual(plan.paths, ['/srv/wheels', '/srv/more-wheels']);
    assert.equal(plan.env.npmRegistry, 'http://127.0.0.1:4873/', 'URLs stay as configured, so TLS names match');
    assert.equal(plan.env.pipIndexUrl, 'https://pypi.example.org/simple/');
  });

  it('rewrites a non-loopback IP literal to its loopback address, and maps localhost to 127.0.0.1', () => {
    const plan = planMirrors({ npmRegistry: 'http://10.1.2.3:8080/npm/', pipIndexUrl: 'http://localhost:3141/simple/', pipFindLinks: null });
    assert.deepEqual(plan.endpoints.slice(0, 2), [
      { host: '10.1.2.3', port: 8080, listen: '127.0.0.10' },
      { host: 'localhost', port: 3141, listen: '127.0.0.1' },
    ]);
    assert.equal(plan.env.npmRegistry, 'http://127.0.0.10:8080/npm/');
    assert.equal(plan.env.pipIndexUrl, 'http://localhost:3141/simple/');
    assert.deepEqual(plan.hosts, []);
  });

  it('falls back to the public registries npm and pip use when no mirror is configured, without setting their env', () => {
    const plan = planMirrors({ npmRegistry: null, pipIndexUrl: null, pipFindLinks: null });
    assert.deepEqual(plan.endpoints.map((e) => `${e.listen} ${e.host}:${e.port}`), [
      '127.0.0.10 registry.npmjs.org:443', '127.0.0.11 pypi.org:443', '127.0.0.12 files.pythonhosted.org:443',
    ]);
    assert.deepEqual(plan.env, { npmRegistry: null, pipIndexUrl: null, pipFindLinks: null });
    const mirrored = planMirrors({ npmRegistry: 'http://127.0.0.1:4873/', pipIndexUrl: 'http://127.0.0.1:3141/simple/', pipFindLinks: null });
    assert.deepEqual(mirrored.endpoints.map((e) => e.host), ['127.0.0.1', '127.0.0.1'], 'a configured mirror replaces them');
  });
});
