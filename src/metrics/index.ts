/**
 * Metrics: per app and process type, what the router saw (requests/s,
 * p50/p95/p99 response time, status classes, H-codes) and what the runtime
 * measured (dyno memory and CPU, crashes), at one-minute resolution for 24 h
 * in the store, plus a Prometheus registry for the platform and its apps.
 * It is fed from the router's control plane and the runtime driver's events;
 * it never touches the router's data path or starts and stops dynos.
 */
export { createMetrics, type Metrics, type MetricsDeps, type RequestSample } from './recorder.js';
export { sampleDynos, type SamplerDeps } from './sampler.js';
export { MINUTE_MS } from './minute.js';
