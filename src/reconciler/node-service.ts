import type { App, ClusterNode, ClusterNodes } from '../domain/index.js';
import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { waitFor } from '../shared/wait.js';
import type { FormationService } from './formation-service.js';

export interface NodeServiceDeps {
  cluster: ClusterNodes;
  formation: Pick<FormationService, 'restart'>;
  apps: { find(id: string): App | undefined };
  logger: Logger;
  /** How long a drain waits for the node's dynos to move before it gives up marking the node `drain`. */
  drainTimeoutMs?: number;
}

/** The cluster's machines for the API: list, join, drain. */
export interface NodeService extends Pick<ClusterNodes, 'nodes' | 'joinCommand'> {
  /**
   * Moves every dyno off a node without a failed request: the node takes no
   * new dynos (`pause`), each dyno on it is restarted through the formation
   * (the reconciler starts its replacement elsewhere and routes to it before
   * it stops the old one), and once none is left the node is set to `drain`.
   * Resolves with the paused node; the rest continues in the background.
   */
  drain(node: string): Promise<ClusterNode>;
}

export function createNodeService(deps: NodeServiceDeps): NodeService {
  const { cluster, formation, apps, logger } = deps;
  return {
    nodes: () => cluster.nodes(),
    joinCommand: () => cluster.joinCommand(),
    async drain(name) {
      const paused = await cluster.setNodeAvailability(name, 'pause');
      for (const d of paused.dynos) {
        const app = apps.find(d.appId);
        if (app) formation.restart(app, { dynoName: d.dyno });
      }
      void waitFor(async () => ((await cluster.nodes()).find((n) => n.id === paused.id)?.dynos.length ?? 0) === 0, {
        what: `dynos off node ${paused.name}`,
        timeoutMs: deps.drainTimeoutMs ?? 10 * 60_000,
        intervalMs: 1000,
      })
        .then(() => cluster.setNodeAvailability(paused.id, 'drain'))
        .then(() => logger.info('node drained', { node: paused.name }))
        .catch((e: unknown) => logger.warn('node not drained', { node: paused.name, error: errorMessage(e) }));
      return paused;
    },
  };
}
