import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalService, describeServices, SERVICE_ALIASES, SERVICE_NAMES, serviceOfPlan } from './services.js';

describe('service catalogue', () => {
  it('maps every name and alias, in any case, to its canonical service', () => {
    for (const name of SERVICE_NAMES) {
      assert.equal(canonicalService(name), name);
      for (const alias of SERVICE_ALIASES[name]) assert.equal(canonicalService(` ${alias.toUpperCase()} `), name);
    }
    assert.equal(canonicalService('kafka'), null);
  });

  it('gives no alias to two services', () => {
    const all = SERVICE_NAMES.flatMap((n) => [n, ...SERVICE_ALIASES[n]]);
    assert.equal(new Set(all).size, all.length);
  });

  it('reads the service of a Heroku plan spec', () => {
    assert.equal(serviceOfPlan('heroku-postgresql:essential-0'), 'postgres');
    assert.equal(serviceOfPlan('jawsdb'), 'mysql');
    assert.equal(serviceOfPlan('cassandra:big'), null);
  });

  it('describes the supported set with the aliases it accepts', () => {
    assert.equal(describeServices(['redis']), 'redis (also accepted: heroku-redis, rediscloud)');
  });
});
