/**
 * Logs: the log bus every subsystem writes app-visible lines to (the
 * `LogSink` port), a bounded history per app, live tails with overflow
 * reporting (L11), log sessions for the API, `heroku[api]` lines for
 * platform events, and drains to outside collectors (syslog, HTTP) with
 * bounded buffers and L10 overflow notices. It must not persist lines or
 * serve HTTP: the API streams what it reads from here.
 */
export { createLogBus, type LogBus, type LogBusOptions, type TailSession } from './bus.js';
export { createLogSessions, type LogSession, type LogSessions, type LogSessionRequest } from './sessions.js';
export { logPlatformEvents } from './api-events.js';
export { formatEntry, formatTimestamp } from './internal/format.js';
export type { LogEntry, LogFilter } from './types.js';
export { createLogDrains, MAX_DRAINS_PER_APP, type LogDrains, type LogDrainsDeps } from './drains/service.js';
export { DRAIN_KINDS, openDrain, parseDrainUrl } from './drains/registry.js';
export { createDrainDestinations, type DrainDestinations, type DrainDestinationOptions } from './drains/destination.js';
export { createDrainOutlet, type DrainOutlet, type DrainOutletOptions } from './drains/outlet.js';
export type { DrainFactory, DrainMessage, DrainOptions, LogDrain } from './drains/types.js';
