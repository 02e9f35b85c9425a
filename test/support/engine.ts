/**
 * The Docker engine in tests: whether it runs here, and removing what a test
 * platform's home created in it (containers, networks, images carry the
 * home's label), never anything else on the shared engine.
 */
import { connectEngine, engineStatus, homeLabel, LABEL } from '../../src/images/index.js';

export const DOCKER_SOCKET = '/var/run/docker.sock';

/** Null when the engine answers; otherwise why tests that need it are skipped. */
export async function engineMissing(): Promise<string | null> {
  const s = await engineStatus(connectEngine(DOCKER_SOCKET), DOCKER_SOCKET);
  return s.ok ? null : s.report;
}

/** Removes every container, network and image labelled with the home. */
export async function removeEngineObjects(home: string): Promise<void> {
  const engine = connectEngine(DOCKER_SOCKET);
  const filters = JSON.stringify({ label: [`${LABEL.home}=${homeLabel(home)}`] });
  for (const c of await engine.listContainers({ all: true, filters })) await engine.getContainer(c.Id).remove({ force: true }).catch(() => {});
  for (const n of await engine.listNetworks({ filters })) await engine.getNetwork(n.Id).remove().catch(() => {});
  for (const i of await engine.listImages({ filters })) await engine.getImage(i.Id).remove({ force: true }).catch(() => {});
}

/** The running containers of one app of a home, by dyno name. */
export async function appContainers(home: string, appId: string): Promise<Array<{ id: string; dyno: string; ip: string; startedAt: string }>> {
  const engine = connectEngine(DOCKER_SOCKET);
  const filters = JSON.stringify({ label: [`${LABEL.home}=${homeLabel(home)}`, `${LABEL.app}=${appId}`], status: ['running'] });
  const found = await engine.listContainers({ filters });
  return Promise.all(
    found.map(async (c) => {
      const info = await engine.getContainer(c.Id).inspect();
      const ip = Object.values(info.NetworkSettings.Networks ?? {})[0]?.IPAddress ?? '';
      return { id: c.Id, dyno: c.Labels[LABEL.dyno] ?? '', ip, startedAt: info.State.StartedAt };
    }),
  );
}
