import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SERVICE_ALIASES, SERVICE_NAMES, type Addon } from '../domain/index.js';
import { chooseAttachment } from './attachments.js';
import { resolvePlan } from './catalogue.js';
import { serviceAddresses } from './internal/addresses.js';
import type { ServiceDescription } from './provider.js';
import { createProviders } from './registry.js';

const postgres = { name: 'postgres', attachmentNames: ['DATABASE', 'POSTGRES'], varSuffix: '_URL', external: false } as unknown as ServiceDescription;
const attached = (...names: string[]) => names.map((attachmentName) => ({ attachmentName, name: `x-${attachmentName}` }) as Addon);

describe('chooseAttachment', () => {
  it('takes the first free default, then numbers the last one', () => {
    assert.equal(chooseAttachment(postgres, [], {}, undefined), 'DATABASE');
    assert.equal(chooseAttachment(postgres, attached('DATABASE'), {}, undefined), 'POSTGRES');
    assert.equal(chooseAttachment(postgres, attached('DATABASE', 'POSTGRES'), {}, undefined), 'POSTGRES_2');
  });

  it('skips a name whose config var the user set by hand', () => {
    assert.equal(chooseAttachment(postgres, [], { DATABASE_URL: 'postgres://elsewhere' }, undefined), 'POSTGRES');
  });

  it('refuses a requested name that is invalid, used, or already a config var', () => {
    assert.throws(() => chooseAttachment(postgres, [], {}, 'cache'), /Invalid attachment name/);
    assert.throws(() => chooseAttachment(postgres, attached('CACHE'), {}, 'CACHE'), /already used by the add-on x-CACHE/);
    assert.throws(() => chooseAttachment(postgres, [], { CACHE_URL: 'x' }, 'CACHE'), /config:unset CACHE_URL/);
    assert.equal(chooseAttachment(postgres, [], {}, 'CACHE'), 'CACHE');
  });
});

describe('resolvePlan', () => {
  // Resolving names never touches a server: providers that are never started.
  const providers = createProviders({
    servicesDir: '/nonexistent', supervisor: {} as never, user: null, env: {}, path: '', reach: async () => {},
    addresses: serviceAddresses(null),
  });
  it('accepts names, aliases and plans', () => {
    assert.equal(resolvePlan(providers, 'postgres').provider.service.name, 'postgres');
    assert.equal(resolvePlan(providers, 'heroku-postgresql:dev').plan, 'dev');
    assert.equal(resolvePlan(providers, 'mariadb').provider.service.name, 'mysql');
  });

  it("reads every name and alias of the domain's service table, as manifests do", () => {
    for (const name of SERVICE_NAMES) {
      for (const alias of [name, ...SERVICE_ALIASES[name]]) {
        assert.equal(resolvePlan(providers, `${alias.toUpperCase()}:dev`).provider.service.name, name, alias);
      }
      assert.deepEqual(providers.get(name)?.service.aliases, SERVICE_ALIASES[name]);
    }
  });

  it('says what is supported when the service or plan is unknown; manifests fall back to the default plan', () => {
    assert.throws(() => resolvePlan(providers, 'oracle'), /Supported services: postgres \(plans: dev\), redis/);
    assert.throws(() => resolvePlan(providers, 'redis:premium-9'), /no plan "premium-9"/);
    assert.equal(resolvePlan(providers, 'heroku-redis:premium-9', { lenientPlan: true }).plan, 'dev');
  });
});
