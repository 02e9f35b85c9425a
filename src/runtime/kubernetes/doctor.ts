import type { KubernetesConfig } from '../../config/index.js';
import { isRegistryAnswer, registryStatus } from '../../images/index.js';
import { errorMessage } from '../../shared/errors.js';
import { inspectCluster, loadKubeConfig } from './cluster.js';

const REGISTRY_TIMEOUT_MS = 3000;

/** Whether the registry answers its API root (`/v2/`) as a registry does. */
async function registryReport(registry: string): Promise<string> {
  try {
    const status = await registryStatus(registry, '/v2/', { timeoutMs: REGISTRY_TIMEOUT_MS });
    return `${registry}: ${isRegistryAnswer(status) ? 'reachable from the control plane' : `answers HTTP ${status}, not a registry`} (nodes must reach it too)`;
  } catch (e) {
    return `${registry}: not reachable from the control plane (${errorMessage(e)}); set CUPAAS_REGISTRY_URL to a registry the nodes can pull from`;
  }
}

/**
 * The `kubernetes` section of `cupaas server --doctor`: the cluster, or that
 * none is configured or reachable. `selected`: the server runs with
 * `--runtime kubernetes`, so a missing cluster means apps cannot run.
 */
export async function kubernetesDoctor(config: KubernetesConfig, opts: { selected?: boolean } = {}): Promise<string> {
  const lines = ['Kubernetes:'];
  const cannotRun = opts.selected ? ' — the kubernetes runtime CANNOT run apps until it is' : '';
  let kc;
  try {
    kc = loadKubeConfig(config.kubeconfig, { inCluster: config.inCluster });
  } catch (e) {
    lines.push(`  cluster: KUBECONFIG ${config.kubeconfig} cannot be read (${errorMessage(e)})${cannotRun ? `${cannotRun} readable` : ''}`);
    return lines.join('\n');
  }
  if (!kc) {
    lines.push(opts.selected
      ? '  cluster: no Kubernetes API server reachable (KUBECONFIG unset, not in a pod) — the kubernetes runtime CANNOT run apps; set KUBECONFIG'
      : '  cluster: none configured (set KUBECONFIG, or run the platform in a pod) — `apps:manifests` works without one');
    return lines.join('\n');
  }
  lines.push(`  context: ${kc.getCurrentContext() || 'in-cluster'} (${kc.getCurrentCluster()?.server ?? 'unknown server'})`);
  try {
    const report = await inspectCluster(kc, config.namespacePrefix);
    lines.push(`  version: ${report.version}`);
    const denied = report.rights.filter((r) => !r.allowed);
    lines.push(denied.length === 0
      ? `  rights: may create namespaces ${config.namespacePrefix}* and apply, prune and watch what apps need`
      : `  rights: MISSING ${denied.map((r) => `${r.verb} ${r.resource}`).join(', ')}`);
    const wanted = config.ingressClass;
    const names = report.ingressClasses.map((c) => c.name + (c.isDefault ? ' (default)' : ''));
    const found = wanted ? report.ingressClasses.some((c) => c.name === wanted) : report.ingressClasses.some((c) => c.isDefault);
    lines.push(`  ingress classes: ${names.join(', ') || 'none'}; ${wanted ? `configured ${wanted}` : 'using the default'}: ${found ? 'ok' : 'NOT FOUND (apps get no traffic; set CUPAAS_KUBERNETES_INGRESS_CLASS)'}`);
  } catch (e) {
    lines.push(`  cluster: unreachable (${errorMessage(e)})${cannotRun ? `${cannotRun} reachable` : ''}`);
  }
  lines.push(`  registry: ${await registryReport(config.registry)}`);
  return lines.join('\n');
}
