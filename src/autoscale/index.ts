/**
 * Autoscale: Heroku-style autoscaling of web dynos on p95 response time.
 * Policies are stored intent; the decision is a pure function (`decide`);
 * applying one writes the formation, so it works on every runtime driver.
 * It reads metrics and writes formations only through functions it is given,
 * and never starts or stops dynos.
 */
export { createAutoscaler, AUTOSCALED_TYPES, type Autoscaler, type AutoscalerDeps, type PolicyInput } from './service.js';
export { decide, DEFAULT_AUTOSCALE_SETTINGS, type AutoscaleDecision, type AutoscaleInput, type AutoscaleSettings } from './decide.js';
