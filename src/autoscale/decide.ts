/** What the autoscaler knows when it decides about one process type. */
export interface AutoscaleInput {
  policy: { minQuantity: number; maxQuantity: number; p95TargetMs: number };
  quantity: number;
  /** p95 response time over the evaluation window; null without requests. */
  p95Ms: number | null;
  requests: number;
  now: number;
  /** Epoch ms of the autoscaler's last change, or null. */
  lastScaledAt: number | null;
}

export interface AutoscaleSettings {
  /** The shortest time between a change and the next scale-out. */
  scaleOutCooldownMs: number;
  /** The shortest time between a change and the next scale-in (longer: capacity is cheap to keep a while). */
  scaleInCooldownMs: number;
  /** Fewer requests in the window than this never justify scaling out. */
  minRequests: number;
  /** Scale in only while p95 stays under target × this ratio ("well under"). */
  scaleInRatio: number;
}

export const DEFAULT_AUTOSCALE_SETTINGS: AutoscaleSettings = {
  scaleOutCooldownMs: 60_000, scaleInCooldownMs: 3 * 60_000, minRequests: 20, scaleInRatio: 0.5,
};

export interface AutoscaleDecision {
  quantity: number;
  reason: string;
}

/**
 * Heroku's model, one dyno at a time: out while p95 is over target, in while
 * it is well under (or there is no traffic), each after its cool-down, never
 * outside min..max (a formation outside the range is brought back at once).
 * Null when nothing should change. Pure: tested with tables.
 */
export function decide(input: AutoscaleInput, s: AutoscaleSettings = DEFAULT_AUTOSCALE_SETTINGS): AutoscaleDecision | null {
  const { policy, quantity, p95Ms, requests, now, lastScaledAt } = input;
  if (quantity < policy.minQuantity) return { quantity: policy.minQuantity, reason: `below the minimum of ${policy.minQuantity}` };
  if (quantity > policy.maxQuantity) return { quantity: policy.maxQuantity, reason: `above the maximum of ${policy.maxQuantity}` };
  const since = lastScaledAt === null ? Number.POSITIVE_INFINITY : now - lastScaledAt;
  const over = p95Ms !== null && requests >= s.minRequests && p95Ms > policy.p95TargetMs;
  if (over && quantity < policy.maxQuantity && since >= s.scaleOutCooldownMs) {
    return { quantity: quantity + 1, reason: `p95 ${p95Ms} ms over the ${policy.p95TargetMs} ms target` };
  }
  const wellUnder = p95Ms === null || p95Ms < policy.p95TargetMs * s.scaleInRatio;
  if (wellUnder && quantity > policy.minQuantity && since >= s.scaleInCooldownMs) {
    return {
      quantity: quantity - 1,
      reason: p95Ms === null ? 'no requests' : `p95 ${p95Ms} ms well under the ${policy.p95TargetMs} ms target`,
    };
  }
  return null;
}
