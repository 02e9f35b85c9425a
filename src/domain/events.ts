/**
 * Everything that happens on the platform, as one closed union. The reconciler,
 * log bus and repo sync subscribe to these; the API and deploy pipeline publish.
 */
export type PlatformEvent =
  | { type: 'app.created'; appId: string; appName: string }
  | { type: 'app.renamed'; appId: string; appName: string; previousName: string }
  | { type: 'app.destroyed'; appId: string; appName: string }
  | { type: 'app.maintenance-changed'; appId: string; maintenance: boolean }
  | { type: 'release.created'; appId: string; version: number; description: string }
  | { type: 'release.status'; appId: string; version: number; status: 'succeeded' | 'failed'; reason?: string }
  | { type: 'formation.changed'; appId: string; processType: string; quantity: number; size: string; by?: string }
  | { type: 'dyno.restart-requested'; appId: string; target: DynoTarget }
  | { type: 'domain.changed'; appId: string }
  | { type: 'sni-endpoint.changed'; appId: string }
  | { type: 'build.started'; appId: string; buildId: string }
  | { type: 'build.finished'; appId: string; buildId: string; status: 'succeeded' | 'failed' };

/** All dynos of an app, of one process type, or one dyno by name (`web.1`). */
export type DynoTarget = { all: true } | { processType: string } | { dynoName: string };
