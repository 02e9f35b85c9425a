/**
 * Kubernetes: an app's release as Kubernetes objects (pure), the plan that
 * turns desired objects and observed ones into applies and prunes (pure), the
 * mapping of pods to dynos and of Deployments to rollout results (pure), and
 * the cluster client that applies with server-side apply, and the `kubernetes`
 * runtime driver: a declarative one (`formations`, design/021) built on that
 * client. Nothing here reads the store: callers hand in the app, release,
 * formation and config.
 */
export { appManifests } from './manifests.js';
export { appNamespace, kubeName, LABELS, MANAGER } from './names.js';
export { podReachableConfig } from './addon-urls.js';
export { planApply, type ApplyPlan, type ObjectRef } from './plan.js';
export { podToDyno, rolloutStatus, type PodDyno, type PodView, type DeploymentView, type RolloutStatus } from './pod-state.js';
export type { KubeObject, ManifestInput, ManifestOptions, ManifestProcess } from './types.js';
export { createCluster, inspectCluster, loadKubeConfig, type Cluster, type ClusterReport } from './cluster.js';
export { kubernetesDoctor } from './doctor.js';
export { createKubernetesDriver } from './driver.js';
