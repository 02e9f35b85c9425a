import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlatformError } from '../shared/errors.js';
import { resolvePlan } from './catalogue.js';
import type { AddonProvider } from './provider.js';

const mongo = { service: { name: 'mongodb', aliases: ['mongolab'], plans: ['dev', 'standard'] } } as unknown as AddonProvider;
const providers = new Map([['mongodb', mongo]]);
const idOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof PlatformError ? e.id : 'other';
  }
  return 'ok';
};

describe('resolvePlan', () => {
  it('resolves SERVICE and SERVICE:PLAN', () => {
    assert.equal(resolvePlan(providers, 'mongodb').plan, 'dev');
    assert.equal(resolvePlan(providers, 'mongodb:standard').plan, 'standard');
  });
  it('refuses anything after the plan instead of dropping it, also for manifests', () => {
    assert.equal(idOf(() => resolvePlan(providers, 'mongodb:dev:junk')), 'invalid_params');
    assert.equal(idOf(() => resolvePlan(providers, 'mongodb:dev:', { lenientPlan: true })), 'invalid_params');
    assert.equal(idOf(() => resolvePlan(providers, 'mongodb:nope')), 'invalid_params');
  });
});
