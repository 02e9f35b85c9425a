/**
 * Reconciler: the formation (desired dynos per process type, restart
 * requests) and the one loop that converges the runtime driver to it and
 * tells the router which dynos serve. Planning is a pure function
 * (`plan`); applying it is thin. The API records intent through the
 * FormationService and never drives dynos itself.
 */
export { createReconciler, type Reconciler, type ReconcilerDeps } from './reconciler.js';
export { createFormationService, type FormationService, type FormationUpdate, MAX_QUANTITY } from './formation-service.js';
export { formationFor, type FormationEntry } from './formation.js';
export type { DynoView, DynoState } from './dyno-views.js';
export { createOneOffDynos, type OneOffDynos, type OneOffDyno, type OneOffRequest, type AttachClient, type AttachedDyno } from './one-off.js';
export { createNodeService, type NodeService, type NodeServiceDeps } from './node-service.js';
