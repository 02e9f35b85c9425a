import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { resolveClientConfig, resolveConfig } from '../../config/index.js';
import { waitFor } from '../../shared/wait.js';
import type { AppInfo, BuildInfo, DynoInfo } from '../api-types.js';
import { latestBuild } from '../build-output.js';
import { createApiClient, type ApiClient } from '../client.js';
import { defineCommand } from '../command.js';
import { deployPacked, packDirectory } from '../deploy-directory.js';
import { CliError } from '../errors.js';
import { ensureLocalServer } from '../local-server.js';

const EXAMPLE_APP = 'node-hello';
const EXAMPLE_DIR = fileURLToPath(new URL('../../../examples/node-hello', import.meta.url));

async function ensureApp(api: ApiClient, name: string): Promise<AppInfo> {
  try {
    return await api.request<AppInfo>('GET', `/apps/${name}`);
  } catch {
    return api.request<AppInfo>('POST', '/apps', { body: { name } });
  }
}

/** GET through the router with the app's Host header (APP.localhost may not resolve outside browsers). */
function getThroughRouter(routerUrl: string, webUrl: string): Promise<number> {
  const router = new URL(routerUrl);
  const host = new URL(webUrl).host;
  return new Promise((resolve, reject) => {
    const req = request({ host: router.hostname, port: router.port, path: '/', headers: { Host: host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/** Deploys unless the newest successful build came from exactly these files. */
async function deployIfChanged(api: ApiClient, write: (s: string) => void): Promise<BuildInfo | null> {
  const source = await packDirectory(EXAMPLE_DIR);
  try {
    const last = await latestBuild(api, EXAMPLE_APP);
    if (last?.status === 'succeeded' && last.source_blob.checksum === source.checksum) return null;
    return await deployPacked(api, EXAMPLE_APP, source, EXAMPLE_DIR, write);
  } finally {
    source.cleanup();
  }
}

export default defineCommand({
  name: 'up',
  summary: 'start the platform in the background (if not running) and deploy the bundled example app',
  details:
    'Idempotent: a running platform on $CUPAAS_HOME is reused, and the example is redeployed only when its files\n' +
    'changed. Server output goes to $CUPAAS_HOME/server.log; `cupaas down` stops it.',
  async run({ out }) {
    const { home } = resolveConfig();
    const server = await ensureLocalServer(home);
    out.line(server.started ? `Started cupaas (pid ${server.pid}), API ${server.apiUrl}` : `cupaas is running (pid ${server.pid}), API ${server.apiUrl}`);
    if (!server.routerUrl) throw new CliError('The server did not report a router address.', `See ${home}/server.log.`);
    const api = createApiClient({ ...resolveClientConfig(), apiUrl: server.apiUrl });

    const app = await ensureApp(api, EXAMPLE_APP);
    const build = await deployIfChanged(api, (s) => process.stdout.write(s));
    out.line(build ? `Deployed ${EXAMPLE_APP} from examples/node-hello.` : `${EXAMPLE_APP} is up to date.`);

    await waitFor(
      async () => {
        const dynos = await api.request<DynoInfo[]>('GET', `/apps/${EXAMPLE_APP}/dynos`);
        return dynos.some((d) => d.type === 'web' && d.state === 'up') && (await getThroughRouter(server.routerUrl!, app.web_url)) === 200;
      },
      { timeoutMs: 90_000, intervalMs: 250, what: `${EXAMPLE_APP} to serve through the router` },
    ).catch((e: Error) => {
      throw new CliError(e.message, `Check \`cupaas ps -a ${EXAMPLE_APP}\` and \`cupaas logs -a ${EXAMPLE_APP}\`.`);
    });
    out.line();
    out.line(`${EXAMPLE_APP} is live at ${app.web_url}`);
    out.line(`Dashboard: ${server.apiUrl}/ (log in with the API key \`cupaas auth:token\` prints)`);
    out.line(`Next: cupaas apps:create, git push, cupaas logs --tail -a ${EXAMPLE_APP}. Stop everything with \`cupaas down\`.`);
  },
});
