import { newSecret } from '../../shared/ids.js';

export interface PushGrant {
  appId: string;
  userId: string;
  gitDir: string;
}

/**
 * One-time tokens that let a push's pre-receive hook call back into the
 * server: issued for one receive-pack request, redeemed at most once, and
 * revoked when that request ends.
 */
export function createHookTokens() {
  const grants = new Map<string, PushGrant>();
  return {
    issue(grant: PushGrant): string {
      const token = newSecret(32);
      grants.set(token, grant);
      return token;
    },
    redeem(token: string): PushGrant | undefined {
      const grant = grants.get(token);
      grants.delete(token);
      return grant;
    },
    revoke(token: string): void {
      grants.delete(token);
    },
  };
}

export type HookTokens = ReturnType<typeof createHookTokens>;
