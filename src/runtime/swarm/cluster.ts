import type Docker from 'dockerode';
import { PassThrough, type Readable } from 'node:stream';
import { lazyPackage } from '../../shared/lazy.js';
import { waitFor } from '../../shared/wait.js';
import { LABEL, type SwarmServiceSpec } from './service-spec.js';
import type { SwarmNode, SwarmTask } from './tasks.js';

/** Loaded when a swarm driver connects, not by every server (issue 17: dockerode holds ~20 MB). */
const dockerode = lazyPackage<typeof Docker>('dockerode');

/** How to reach a Swarm manager's Engine API: a unix socket, or tcp host and port. */
export type EngineAddress = { socketPath: string } | { host: string; port: number };

/** `unix:///run/docker.sock` or `tcp://10.0.0.1:2375` (as `DOCKER_HOST` writes it) to an engine address. */
export function parseDockerHost(value: string): EngineAddress {
  if (value.startsWith('unix://')) return { socketPath: value.slice('unix://'.length) };
  const m = /^tcp:\/\/([^:/]+):(\d+)\/?$/.exec(value);
  if (m) return { host: m[1] as string, port: Number(m[2]) };
  throw new Error(`Unsupported Docker host "${value}": use unix:///path/to/docker.sock or tcp://HOST:PORT.`);
}

/** A service as listed, with the fields the driver reads. */
export interface ListedService {
  ID: string;
  Spec: SwarmServiceSpec & { Labels: Record<string, string> };
  Version: { Index: number };
}

/**
 * The few Engine API calls the swarm driver makes, on one manager. Everything
 * goes through the API client (no `docker` CLI, no shell).
 */
export function connectCluster(address: EngineAddress) {
  const docker = new (dockerode())(address);
  const networks = new Map<string, Promise<string>>();
  const byPlatform = (platformId: string) => ({ label: [`${LABEL.platform}=${platformId}`] });
  const tasksOf = (serviceId: string) => docker.listTasks({ filters: { service: [serviceId] } }) as Promise<SwarmTask[]>;

  return {
    docker,
    swarmInfo: () => docker.swarmInspect() as Promise<{ ID: string; JoinTokens: { Worker: string; Manager: string } }>,
    info: () => docker.info() as Promise<{ Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string; RemoteManagers?: Array<{ Addr: string }> } }>,
    nodes: () => docker.listNodes() as Promise<SwarmNode[]>,
    tasks: (platformId: string) => docker.listTasks({ filters: byPlatform(platformId) }) as Promise<SwarmTask[]>,
    tasksOf,
    services: (platformId: string) => docker.listServices({ filters: byPlatform(platformId) }) as unknown as Promise<ListedService[]>,
    createService: async (spec: SwarmServiceSpec): Promise<string> => (await docker.createService(spec as never)).id as string,
    async updateService(id: string, change: (spec: SwarmServiceSpec) => SwarmServiceSpec): Promise<void> {
      const service = docker.getService(id);
      const current = (await service.inspect()) as ListedService;
      await service.update({ ...change(current.Spec), version: current.Version.Index } as never);
    },
    /**
     * Removes a service once Swarm's task reaper is done with it. Removing a service
     * while the reaper deletes one of its scaled-down tasks (desired state `remove`)
     * crashes the manager of Docker 20.10 (swarmkit's SetServiceTasksRemove reads the
     * task it just listed, finds it deleted and dereferences nil), and a stopped dyno
     * is exactly that: scaled to 0, its task just ended.
     */
    async removeService(id: string): Promise<void> {
      const reaped = async () => (await tasksOf(id)).every((t) => t.DesiredState !== 'remove');
      await waitFor(reaped, { what: `the tasks of service ${id} reaped`, intervalMs: 200, timeoutMs: 10_000 }).catch(() => undefined);
      await docker.getService(id).remove();
    },
    setNodeAvailability: async (id: string, availability: 'active' | 'pause' | 'drain') => {
      const node = docker.getNode(id);
      const current = (await node.inspect()) as { Spec: Record<string, unknown>; Version: { Index: number } };
      await node.update({ ...current.Spec, Availability: availability, version: current.Version.Index } as never);
    },
    /** An overlay network per app (created once, by name), so its tasks reach each other and nothing else. */
    network(name: string, labels: Record<string, string>): Promise<string> {
      let p = networks.get(name);
      if (!p) {
        p = (async () => {
          const existing = (await docker.listNetworks({ filters: { name: [name] } })) as Array<{ Id: string; Name: string }>;
          const found = existing.find((n) => n.Name === name);
          if (found) return found.Id;
          const created = await docker.createNetwork({ Name: name, Driver: 'overlay', Attachable: false, Labels: labels, CheckDuplicate: true });
          return created.id;
        })();
        p.catch(() => networks.delete(name));
        networks.set(name, p);
      }
      return p;
    },
    /** The service's output, followed, as one stream of text (stdout and stderr demultiplexed). */
    async followLogs(id: string, sinceSeconds: number): Promise<Readable> {
      const raw = (await docker.getService(id).logs({ follow: true, stdout: true, stderr: true, since: sinceSeconds })) as unknown as Readable;
      const out = new PassThrough();
      docker.modem.demuxStream(raw, out, out);
      raw.once('end', () => out.end());
      raw.once('error', () => out.end());
      out.once('close', () => raw.destroy());
      return out;
    },
  };
}

export type Cluster = ReturnType<typeof connectCluster>;
