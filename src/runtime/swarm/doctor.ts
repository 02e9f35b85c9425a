import { registryAnswers } from '../../images/index.js';
import { errorMessage } from '../../shared/errors.js';
import { connectCluster, parseDockerHost } from './cluster.js';
import { nodeName, type SwarmNode, type SwarmTask } from './tasks.js';

/** What `cupaas server --doctor` found out about the swarm, before it is put in words. */
export interface SwarmFacts {
  dockerHost: string;
  /** Null when the manager answered; else why not. */
  unreachable: string | null;
  manager: boolean;
  nodes: readonly SwarmNode[];
  /** The manager's recent tasks (any service): rejected pulls show which nodes cannot reach the registry. */
  tasks: readonly SwarmTask[];
  registry: string | null;
  /** The registry answered `GET /v2/` from this machine. */
  registryAnswers: boolean;
}

const LOOPBACK = /^(127\.|localhost(:|$)|\[::1\])/;
/** Engine errors of a task that failed to get its image. */
const PULL_ERROR = /pull|manifest|no such image|image .* not found|repository does not exist/i;

/**
 * The swarm section of the doctor's report: the manager, how many nodes are
 * ready (naming the others), the registry the nodes pull from (loopback is
 * only reachable on this machine) and the nodes whose last pull failed. Pure.
 */
export function swarmReport(f: SwarmFacts): string {
  const lines = ['Swarm:'];
  if (f.unreachable) {
    lines.push(`  manager: ${f.dockerHost}: unreachable (${f.unreachable}); set CUPAAS_SWARM_HOST (or DOCKER_HOST) to a swarm manager`);
    return lines.join('\n');
  }
  if (!f.manager) {
    lines.push(`  manager: ${f.dockerHost}: reachable, but not a swarm manager (run \`docker swarm init\` there, or point CUPAAS_SWARM_HOST at a manager)`);
    return lines.join('\n');
  }
  lines.push(`  manager: ${f.dockerHost}: reachable`);
  const notReady = f.nodes.filter((n) => n.Status?.State !== 'ready');
  const names = (ns: readonly SwarmNode[]) => ns.map((n) => `${nodeName(n, n.ID ?? null)} ${n.Status?.State ?? 'unknown'}`).join(', ');
  lines.push(`  nodes: ${f.nodes.length - notReady.length}/${f.nodes.length} ready${notReady.length ? ` (${names(notReady)})` : ''}`);
  lines.push(`  registry: ${registryLine(f)}`);
  const byNode = new Map(f.nodes.map((n) => [n.ID ?? '', n]));
  const failedPulls = new Map<string, string>();
  for (const t of [...f.tasks].sort((a, b) => (a.CreatedAt ?? '').localeCompare(b.CreatedAt ?? ''))) {
    const err = t.Status?.Err ?? '';
    if (!t.NodeID || !PULL_ERROR.test(err)) continue;
    failedPulls.set(nodeName(byNode.get(t.NodeID), t.NodeID), err);
  }
  for (const [node, err] of failedPulls) lines.push(`  pull failed on node ${node}: ${err}`);
  return lines.join('\n');
}

function registryLine(f: SwarmFacts): string {
  if (!f.registry) return 'none configured: nodes have no image to pull (set CUPAAS_REGISTRY_URL)';
  const answers = f.registryAnswers ? 'answers here' : 'NOT answering here';
  if (LOOPBACK.test(f.registry) && f.nodes.length > 1) {
    return `${f.registry}: ${answers}, but on loopback: the other nodes cannot pull from it (set CUPAAS_REGISTRY_URL to an address every node reaches)`;
  }
  return `${f.registry}: ${answers}; the nodes pull from it`;
}

/** Asks the manager at `dockerHost` and the registry, for `cupaas server --doctor`. */
export async function swarmDoctorReport(o: { dockerHost: string; registry: string | null }): Promise<string> {
  const base = { dockerHost: o.dockerHost, registry: o.registry, manager: false, nodes: [], tasks: [], registryAnswers: false };
  let cluster;
  try {
    cluster = connectCluster(parseDockerHost(o.dockerHost));
  } catch (e) {
    return swarmReport({ ...base, unreachable: errorMessage(e) });
  }
  try {
    const info = await cluster.info();
    if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) return swarmReport({ ...base, unreachable: null });
    const [nodes, tasks, answers] = await Promise.all([
      cluster.nodes(),
      cluster.docker.listTasks() as Promise<SwarmTask[]>,
      o.registry ? registryAnswers(o.registry) : Promise.resolve(false),
    ]);
    return swarmReport({ ...base, unreachable: null, manager: true, nodes, tasks, registryAnswers: answers });
  } catch (e) {
    return swarmReport({ ...base, unreachable: errorMessage(e) });
  }
}
