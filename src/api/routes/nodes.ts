import type { ClusterNode } from '../../domain/index.js';
import { PlatformError } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';

const nodeJson = (n: ClusterNode) => ({
  id: n.id,
  name: n.name,
  role: n.role,
  leader: n.leader,
  state: n.state,
  availability: n.availability,
  address: n.address,
  cpus: n.cpus,
  memory_mb: n.memoryMb,
  dynos: n.dynos.map((d) => ({ app: { id: d.appId, name: d.app }, name: d.dyno })),
});

/**
 * The cluster's machines (runtimes that span several: `swarm`). On a
 * single-machine runtime these answer 422 saying so.
 */
export function nodeRoutes(ctx: ApiContext): Route[] {
  const nodes = () => {
    if (ctx.nodes) return ctx.nodes;
    throw new PlatformError('invalid_params', `The ${ctx.config.runtimeDriver} runtime runs on this one machine; nodes come with \`cupaas server --runtime swarm\`.`);
  };
  return [
    { method: 'GET', path: '/nodes', access: 'platform-admin', handler: async () => ({ body: (await nodes().nodes()).map(nodeJson) }) },
    {
      method: 'GET',
      path: '/nodes/join-command',
      access: 'platform-admin',
      handler: async () => {
        const { token, managers } = await nodes().joinCommand();
        return { body: { token, managers, registry: ctx.config.images.registryUrl } };
      },
    },
    {
      method: 'POST',
      path: '/nodes/:node/actions/drain',
      access: 'platform-admin',
      handler: async (req) => ({ status: 202, body: nodeJson(await nodes().drain(req.params.node as string)) }),
    },
  ];
}
