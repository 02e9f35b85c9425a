/**
 * Runtime: the RuntimeDriver interface (start, stop and list dynos, report
 * readiness and exits, stream output) and its implementations, chosen by name
 * through the registry. Drivers run what they are told; they never read the
 * store or decide what should run (that is the reconciler's job).
 */
export type {
  DriverDoctorReport, DynoArtifact, DynoAttachment, DynoSpec, DynoEvent, DriverDynoState, ObservedDyno, RuntimeDriver, RuntimeDriverDeps,
  RuntimeDriverFactory,
  StopOptions, StopResult, DynoUsage,
  DeclarativeFormations, FormationDyno, FormationRollout, FormationSpec, FormationStatus,
} from './types.js';
export { RUNTIME_DRIVERS, createRuntimeDriver } from './registry.js';
export { isReady, waitUntilReady } from './readiness.js';
export { dynoShellArgv } from './local/index.js';
export { sandboxDoctor } from './local/sandbox/index.js';
export type { ServicesAddress } from './types.js';
export {
  appManifests, appNamespace, kubernetesDoctor, podReachableConfig, planApply, podToDyno, rolloutStatus,
  type KubeObject, type ManifestInput, type PodDyno, type RolloutStatus,
} from './kubernetes/index.js';
export { stackFile, type StackInput, type StackProcess } from './swarm/stack-file.js';
export { swarmDoctorReport } from './swarm/doctor.js';
