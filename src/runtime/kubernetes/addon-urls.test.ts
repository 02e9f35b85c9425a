import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podReachableConfig } from './addon-urls.js';

describe('podReachableConfig', () => {
  const config = {
    DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/shop',
    REDIS_URL: 'redis://localhost:6380',
    EXTERNAL_URL: 'mysql://u:p@db.example.test:3306/x',
    SECRET: 'http://127.0.0.1:9/not-an-addon',
  };
  const addonVars = ['DATABASE_URL', 'REDIS_URL', 'EXTERNAL_URL'];

  it('rewrites platform-host add-ons to the address pods reach the host at; external ones and app vars stay', () => {
    assert.deepEqual(podReachableConfig(config, addonVars, '10.0.0.5'), {
      DATABASE_URL: 'postgres://u:p@10.0.0.5:5432/shop',
      REDIS_URL: 'redis://10.0.0.5:6380',
      EXTERNAL_URL: 'mysql://u:p@db.example.test:3306/x',
      SECRET: 'http://127.0.0.1:9/not-an-addon',
    });
  });

  it('refuses platform-host add-ons with a message saying what to set when no address is configured', () => {
    assert.throws(() => podReachableConfig(config, addonVars, null), /DATABASE_URL .*CUPAAS_KUBERNETES_PLATFORM_HOST/);
  });

  it('external add-ons need no platform address', () => {
    assert.deepEqual(podReachableConfig({ EXTERNAL_URL: config.EXTERNAL_URL }, ['EXTERNAL_URL'], null), { EXTERNAL_URL: config.EXTERNAL_URL });
  });
});
