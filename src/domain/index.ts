/**
 * Domain: the platform's records, events and naming rules. Pure types and
 * constants; imports nothing but `shared`.
 */
export type * from './types.js';
export { CONTAINER_STACK } from './types.js';
export type { PlatformEvent, DynoTarget } from './events.js';
export * from './names.js';
export * from './services.js';
export type * from './ports.js';
