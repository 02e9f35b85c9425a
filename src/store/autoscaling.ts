import { isoTime } from '../shared/time.js';
import { str, strOrNull, type Db, type Row } from './sql.js';

export interface AutoscalingPolicy {
  appId: string;
  processType: string;
  enabled: boolean;
  minQuantity: number;
  maxQuantity: number;
  p95TargetMs: number;
  lastScaledAt: string | null;
  updatedAt: string;
}

const toPolicy = (r: Row): AutoscalingPolicy => ({
  appId: str(r.app_id),
  processType: str(r.process_type),
  enabled: r.enabled === 1,
  minQuantity: r.min_quantity as number,
  maxQuantity: r.max_quantity as number,
  p95TargetMs: r.p95_target_ms as number,
  lastScaledAt: strOrNull(r.last_scaled_at),
  updatedAt: str(r.updated_at),
});

/** Autoscaling policies per app and process type: desired state the autoscaler acts on. */
export function createAutoscalingStore(db: Db) {
  return {
    get(appId: string, processType: string): AutoscalingPolicy | undefined {
      const r = db.prepare('SELECT * FROM autoscaling WHERE app_id = ? AND process_type = ?').get(appId, processType) as Row | undefined;
      return r && toPolicy(r);
    },
    listEnabled(): AutoscalingPolicy[] {
      return (db.prepare('SELECT * FROM autoscaling WHERE enabled = 1').all() as Row[]).map(toPolicy);
    },
    put(p: Omit<AutoscalingPolicy, 'updatedAt' | 'lastScaledAt'>): AutoscalingPolicy {
      db.prepare(
        `INSERT INTO autoscaling (app_id, process_type, enabled, min_quantity, max_quantity, p95_target_ms, updated_at)
         VALUES (@appId, @processType, @enabled, @minQuantity, @maxQuantity, @p95TargetMs, @updatedAt)
         ON CONFLICT(app_id, process_type) DO UPDATE SET enabled = excluded.enabled, min_quantity = excluded.min_quantity,
           max_quantity = excluded.max_quantity, p95_target_ms = excluded.p95_target_ms, updated_at = excluded.updated_at`,
      ).run({ ...p, enabled: p.enabled ? 1 : 0, updatedAt: isoTime() });
      return this.get(p.appId, p.processType) as AutoscalingPolicy;
    },
    markScaled(appId: string, processType: string, at: string): void {
      db.prepare('UPDATE autoscaling SET last_scaled_at = ? WHERE app_id = ? AND process_type = ?').run(at, appId, processType);
    },
  };
}

export type AutoscalingStore = ReturnType<typeof createAutoscalingStore>;
