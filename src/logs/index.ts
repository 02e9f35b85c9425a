/**
 * Logs: the log bus every subsystem writes app-visible lines to (the
 * `LogSink` port), a bounded history per app, live tails with overflow
 * reporting (L11), log sessions for the API, and `heroku[api]` lines for
 * platform events. It must not persist lines or know HTTP: the API streams
 * what it reads from here.
 */
export { createLogBus, type LogBus, type LogBusOptions, type TailSession } from './bus.js';
export { createLogSessions, type LogSession, type LogSessions, type LogSessionRequest } from './sessions.js';
export { logPlatformEvents } from './api-events.js';
export { formatEntry, formatTimestamp } from './internal/format.js';
export type { LogEntry, LogFilter } from './types.js';
