import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP_ROLES, decide, effectiveRole, type AppAction, type AppRelation, type AppRole } from './access.js';

const none: AppRelation = { platformRole: 'member', isOwner: false, teamRole: null, collaboratorRole: null };
const ACTIONS: readonly AppAction[] = ['read', 'deploy', 'manage', 'destroy'];

describe('access policy', () => {
  it('hides apps from callers with no relation to them (404), whatever the action', () => {
    for (const a of ACTIONS) assert.deepEqual(decide(none, a), { allowed: false, status: 404, roleNeeded: a === 'read' ? 'viewer' : a === 'deploy' ? 'member' : 'admin' });
  });

  it('lets viewers read, members deploy, admins manage and destroy; 403 names the role needed', () => {
    const table: Record<AppRole, readonly AppAction[]> = {
      viewer: ['read'],
      member: ['read', 'deploy'],
      admin: ['read', 'deploy', 'manage', 'destroy'],
    };
    for (const role of APP_ROLES) {
      for (const via of ['teamRole', 'collaboratorRole'] as const) {
        for (const action of ACTIONS) {
          const d = decide({ ...none, [via]: role }, action);
          assert.equal(d.allowed, table[role].includes(action), `${role} via ${via} → ${action}`);
          if (!d.allowed) assert.equal(d.status, 403);
        }
      }
    }
  });

  it('takes the highest of several grants; owners and platform admins are admins', () => {
    assert.equal(effectiveRole({ ...none, teamRole: 'viewer', collaboratorRole: 'member' }), 'member');
    assert.equal(effectiveRole({ ...none, teamRole: 'admin', collaboratorRole: 'viewer' }), 'admin');
    assert.equal(effectiveRole({ ...none, isOwner: true }), 'admin');
    assert.equal(effectiveRole({ ...none, platformRole: 'admin' }), 'admin');
    assert.equal(effectiveRole(none), null);
  });
});
