import { resolveConfig } from '../../config/index.js';
import { buildSandboxReport, kubernetesDoctor, platformCaReport, routerDoctor, serverDoctor, startPlatform } from '../../server/index.js';
import { createLogger } from '../../shared/logger.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

const int = (v: unknown, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new CliError(`--${name} must be a number, got "${v}".`);
  return n;
};

export default defineCommand({
  name: 'server',
  summary: 'run the platform (API, builds, dynos, router) in the foreground',
  options: {
    home: { type: 'string', description: 'state directory (default $CUPAAS_HOME or ~/.cupaas)' },
    listen: { type: 'string', description: 'address the API binds (default 127.0.0.1)' },
    'api-port': { type: 'string', description: 'API port (default 5000, or CUPAAS_API_PORT)' },
    'router-listen': { type: 'string', description: 'address the router binds (default 127.0.0.1)' },
    'router-port': { type: 'string', description: 'router port (default 8080, or CUPAAS_ROUTER_PORT)' },
    'router-tls-port': { type: 'string', description: 'router HTTPS port: certificates of SNI endpoints, the platform one for *.BASE_DOMAIN (default none, or CUPAAS_ROUTER_TLS_PORT)' },
    'base-domain': { type: 'string', description: 'apps are served at APP.BASE_DOMAIN (default localhost)' },
    runtime: { type: 'string', description: 'runtime driver: local (default), docker, swarm or kubernetes (KUBECONFIG or in-cluster)' },
    doctor: { type: 'boolean', description: 'report dyno and build protections (sandbox, limits, network), the router data plane, the Docker engine, stack image and registry, how to trust the platform CA, the Kubernetes cluster, and exit' },
  },
  async run({ flags }) {
    let config;
    try {
      config = resolveConfig({
        home: flags.home as string | undefined,
        listen: flags.listen as string | undefined,
        apiPort: int(flags['api-port'], 'api-port'),
        routerListen: flags['router-listen'] as string | undefined,
        routerPort: int(flags['router-port'], 'router-port'),
        routerTlsPort: int(flags['router-tls-port'], 'router-tls-port'),
        baseDomain: flags['base-domain'] as string | undefined,
        runtimeDriver: flags.runtime as string | undefined,
      });
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    if (flags.doctor) {
      process.stdout.write((await serverDoctor(config)) + '\n');
      process.stdout.write((await buildSandboxReport(config)) + '\n' + routerDoctor(config) + '\n');
      process.stdout.write(platformCaReport(config.home, config.publicApiUrl) + '\n');
      process.stdout.write((await kubernetesDoctor(config.kubernetes, { selected: config.runtimeDriver === 'kubernetes' })) + '\n');
      return;
    }
    const logger = createLogger({ level: config.logLevel, write: (l) => process.stdout.write(l + '\n') });
    let platform;
    try {
      platform = await startPlatform(config, logger);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    await new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        logger.info('shutting down', { signal });
        platform.stop().then(resolve, (e: unknown) => {
          logger.error('shutdown failed', { error: String(e) });
          resolve();
        });
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
  },
});
