/**
 * Domain: the platform's records, events and naming rules, and the types of
 * the API's JSON shapes its clients share (their zod schemas: api-schema.ts).
 * Pure types, constants and schemas; no I/O.
 */
export type * from './types.js';
export { CONTAINER_STACK } from './types.js';
export type { PlatformEvent, DynoTarget } from './events.js';
export * from './names.js';
export { generateAppName } from './generated-names.js';
export * from './services.js';
export type * from './ports.js';
// Types only: the server never parses its own responses, so it does not build these schemas (~0.6 MB
// of heap, issue 17); what parses responses imports './api-schema.js' itself.
export type * from './api-schema.js';
export * from './access.js';
export * from './api-error.js';
