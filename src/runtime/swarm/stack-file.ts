import { yaml } from '../../shared/occasional.js';
import { dynoSize } from '../../config/index.js';
import type { ProcessRun } from '../../domain/index.js';
import { dynoShellArgv } from '../local/launcher.js';

/** Only an export needs YAML (issue 17: an idle server holds no yaml code). */

/** What an app's stack file is made of: its current release's image, config and formation. */
export interface StackInput {
  app: string;
  /** Pullable: `REGISTRY/APP:vN`. */
  image: string;
  config: Readonly<Record<string, string>>;
  processes: ReadonlyArray<StackProcess>;
}

export interface StackProcess {
  type: string;
  command: string;
  quantity: number;
  size: string;
  /** The process type's own image (heroku.yml, Compose: `REGISTRY/APP/TYPE:vN`), else the release's. */
  image?: string;
  /** A Compose service runs as its image says, with its own environment (resolved) under the config vars. */
  run?: Pick<ProcessRun, 'entrypoint' | 'command' | 'port'> & { env: Readonly<Record<string, string>> };
}

/** `docker stack deploy` substitutes `$NAME` in the file: a literal `$` (a password, a shell command) is written `$$`. */
const literal = (value: string): string => value.replace(/\$/g, '$$$$');
const literals = (values: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, literal(v)]));

/** The port a dyno listens on in the exported stack (Swarm's routing mesh maps published port 80 to it). */
const STACK_PORT = 5000;

/**
 * The app as a Docker Swarm stack file (`docker stack deploy -c FILE APP`),
 * for users who leave: a service per process type with its quantity as
 * replicas, the dyno size as limits, start-first updates, config vars and
 * `PORT` as environment, web published on port 80 through the routing mesh;
 * a process type with an image of its own runs it (a Compose service as its
 * image says, with its `environment:` under the config vars).
 * Add-on URLs stay as they are: they point at this platform's servers. Pure.
 */
export function stackFile(input: StackInput): string {
  const services: Record<string, unknown> = {};
  for (const p of input.processes) {
    const size = dynoSize(p.size);
    // A web service's own fixed port, as the runtime honours it; everything else reads `$PORT`.
    const port = (p.type === 'web' ? p.run?.port : null) ?? STACK_PORT;
    const argv = p.run
      ? { ...(p.run.entrypoint ? { entrypoint: p.run.entrypoint.map(literal) } : {}), ...(p.run.command ? { command: p.run.command.map(literal) } : {}) }
      : { command: dynoShellArgv(p.command).map(literal) };
    services[p.type] = {
      image: p.image ?? input.image,
      ...argv,
      environment: { ...literals({ ...p.run?.env, ...input.config }), PORT: String(port), DYNO: `${p.type}.{{.Task.Slot}}` },
      ...(p.type === 'web' ? { ports: [{ target: port, published: 80, protocol: 'tcp', mode: 'ingress' }] } : {}),
      deploy: {
        replicas: p.quantity,
        update_config: { order: 'start-first', parallelism: 1, failure_action: 'rollback' },
        restart_policy: { condition: 'any' },
        resources: { limits: { memory: `${(size?.memoryMb ?? 512) * (size?.hardLimitFactor ?? 2)}M`, ...(size?.cpuQuota ? { cpus: String(size.cpuQuota) } : {}), pids: size?.pidsLimit ?? 256 } },
        labels: { 'io.cupaas.app': input.app, 'io.cupaas.process-type': p.type },
      },
    };
  }
  const header = `# ${input.app} as a Docker Swarm stack, exported by cupaas: docker stack deploy -c THIS_FILE ${input.app}\n# It holds the app's config vars, secrets included: keep it private.\n`;
  return header + yaml().stringify({ version: '3.8', services }, { lineWidth: 0 });
}
