import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planApply, type ObjectRef } from './plan.js';
import type { KubeObject } from './types.js';

const obj = (kind: string, name: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace: 'ns' } });
const ref = (kind: string, name: string): ObjectRef => ({ apiVersion: 'v1', kind, namespace: 'ns', name });
const names = (refs: readonly ObjectRef[]) => refs.map((r) => `${r.kind}/${r.name}`).sort();

const CASES: { name: string; desired: KubeObject[]; observed: ObjectRef[]; prune: string[] }[] = [
  { name: 'first apply: nothing to prune', desired: [obj('Secret', 'config-v1'), obj('Deployment', 'web')], observed: [], prune: [] },
  {
    name: 'steady state: nothing to prune',
    desired: [obj('Secret', 'config-v2'), obj('Deployment', 'web')],
    observed: [ref('Secret', 'config-v2'), ref('Deployment', 'web')],
    prune: [],
  },
  {
    name: 'removed process type: its Deployment goes',
    desired: [obj('Secret', 'config-v3'), obj('Deployment', 'web')],
    observed: [ref('Secret', 'config-v3'), ref('Deployment', 'web'), ref('Deployment', 'worker')],
    prune: ['Deployment/worker'],
  },
  {
    name: 'web scaled below 2: the PDB goes',
    desired: [obj('Secret', 'config-v3'), obj('Deployment', 'web'), obj('Service', 'web')],
    observed: [ref('Secret', 'config-v3'), ref('Deployment', 'web'), ref('Service', 'web'), ref('PodDisruptionBudget', 'web')],
    prune: ['PodDisruptionBudget/web'],
  },
  {
    name: 'new release: the previous Secret stays for the switch-over, older ones go',
    desired: [obj('Secret', 'config-v5'), obj('Deployment', 'web')],
    observed: [ref('Secret', 'config-v2'), ref('Secret', 'config-v4'), ref('Secret', 'config-v5'), ref('Deployment', 'web')],
    prune: ['Secret/config-v2'],
  },
  {
    name: 'rollback to an older release: newer Secrets go, the one before the target stays',
    desired: [obj('Secret', 'config-v6'), obj('Deployment', 'web')],
    observed: [ref('Secret', 'config-v5'), ref('Secret', 'config-v7'), ref('Deployment', 'web')],
    prune: ['Secret/config-v7'],
  },
  { name: 'the namespace is never pruned', desired: [], observed: [ref('Namespace', 'ns')], prune: [] },
  {
    name: 'no web any more: Service and Ingress go',
    desired: [obj('Secret', 'config-v2'), obj('Deployment', 'worker')],
    observed: [ref('Deployment', 'web'), ref('Service', 'web'), ref('Ingress', 'shop'), ref('Deployment', 'worker')],
    prune: ['Deployment/web', 'Ingress/shop', 'Service/web'],
  },
];

describe('planApply', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const plan = planApply(c.desired, c.observed);
      assert.deepEqual(names(plan.prune), c.prune);
      assert.deepEqual(plan.apply, c.desired, 'everything desired is applied (server-side apply is idempotent)');
    });
  }

  it('is idempotent: applying the plan and planning again prunes nothing', () => {
    const desired = [obj('Secret', 'config-v2'), obj('Deployment', 'web')];
    const after = desired.map((o) => ref(o.kind, o.metadata.name));
    assert.deepEqual(planApply(desired, after).prune, []);
  });
});
