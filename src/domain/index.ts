/**
 * Domain: the platform's records, events and naming rules, and the API's
 * JSON schemas (zod) its clients share. Pure types, constants and schemas; no I/O.
 */
export type * from './types.js';
export { CONTAINER_STACK } from './types.js';
export type { PlatformEvent, DynoTarget } from './events.js';
export * from './names.js';
export { generateAppName } from './generated-names.js';
export * from './services.js';
export type * from './ports.js';
export * as apiSchema from './api-schema.js';
export type * from './api-schema.js';
export * from './access.js';
export * from './api-error.js';
