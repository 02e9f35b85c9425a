import type { ContainerCreateOptions } from 'dockerode';
import { dynoSize } from '../../config/index.js';
import { LABEL, STACK_USER } from '../../images/index.js';
import { dynoShellArgv } from '../local/launcher.js';
import type { DynoSpec } from '../types.js';

/** Every web container listens here: each has its own address on its app's network, so ports never collide. */
export const CONTAINER_PORT = 5000;

const MB = 1024 * 1024;

/**
 * The container's pid 1: runs the dyno's command as its own process group
 * and hands a stop's SIGTERM to the whole group, as the local driver signals
 * a dyno's group (the engine signals pid 1 only). Exits with the command's
 * status once the command is gone; the container's end ends whatever is left.
 */
const INIT = [
  'set -m',
  '"$@" &',
  'child=$!',
  "trap 'kill -TERM -- -$child 2>/dev/null' TERM INT",
  'status=0',
  'while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done',
  'exit "$status"',
].join('\n');

/**
 * pid 1 of a dyno on a terminal: the command stays in the terminal's
 * foreground process group (a job of its own would be stopped reading it),
 * keeps the attached stdin, and gets the size the client sent; a stop's
 * SIGTERM is handed to it.
 */
const TTY_INIT = [
  'stty rows "${LINES:-24}" cols "${COLUMNS:-80}" 2>/dev/null',
  '"$@" <&0 &',
  'child=$!',
  "trap 'kill -TERM $child 2>/dev/null' TERM INT HUP",
  'status=0',
  'while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done',
  'exit "$status"',
].join('\n');

/** The port a web dyno's container listens on: a Compose image's own, else `CONTAINER_PORT` (given as `$PORT`). */
export const webPort = (spec: DynoSpec): number => spec.artifact.process?.port ?? CONTAINER_PORT;

/**
 * What the container runs: a Compose service's image as it says (its argv
 * overrides; the image's own directory), else the slug's command through the
 * init (on a terminal, the terminal's) in /app. No command at all: the image's
 * own (a Dockerfile app without a Procfile), signalled as the engine does.
 */
function processOptions(spec: DynoSpec): Pick<ContainerCreateOptions, 'Entrypoint' | 'Cmd' | 'WorkingDir'> {
  const p = spec.artifact.process;
  if (p) return { ...(p.entrypoint ? { Entrypoint: [...p.entrypoint] } : {}), ...(p.command ? { Cmd: [...p.command] } : {}) };
  const init = spec.oneOff?.attachment?.tty ? TTY_INIT : INIT;
  return { ...(spec.command ? { Entrypoint: ['bash', '-c', init, 'dyno-init'], Cmd: dynoShellArgv(spec.command) } : {}), WorkingDir: '/app' };
}

/**
 * The spec as a label: what adoption needs to rebuild it, without the env
 * (config vars stay out of labels) nor an attached client (its streams live
 * in this server only).
 */
export function specLabel(spec: DynoSpec): string {
  const { env: _env, oneOff, ...rest } = spec;
  return JSON.stringify({ ...rest, ...(oneOff ? { oneOff: {} } : {}) });
}

/**
 * How one dyno runs in the engine: the release image, the dyno's env and
 * command, the size's memory (hard limit = quota × factor, no swap), CPU and
 * pids limits, no capabilities or new privileges, the stack's non-root user,
 * the app's own network, no restart policy (the reconciler decides), and
 * labels naming app, release and dyno. The writable layer is the dyno's
 * ephemeral filesystem: it goes with the container.
 */
export function containerOptions(spec: DynoSpec, o: { image: string; home: string; network: string; name: string }): ContainerCreateOptions {
  const size = dynoSize(spec.size);
  const port = webPort(spec);
  const env = { ...spec.env, ...(spec.web ? { PORT: String(port) } : {}) };
  const attachment = spec.oneOff?.attachment;
  return {
    name: o.name,
    Image: o.image,
    ...processOptions(spec),
    // An attached client's input is the dyno's stdin; its end (StdinOnce) closes it.
    ...(attachment ? { OpenStdin: true, StdinOnce: true, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: attachment.tty } : {}),
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    User: STACK_USER,
    Hostname: spec.dynoId.slice(0, 63),
    Labels: {
      [LABEL.home]: o.home, [LABEL.app]: spec.appId, [LABEL.release]: spec.releaseId, [LABEL.version]: String(spec.releaseVersion),
      [LABEL.dyno]: spec.name, [LABEL.dynoId]: spec.dynoId, [LABEL.spec]: specLabel(spec),
    },
    ExposedPorts: spec.web ? { [`${port}/tcp`]: {} } : {},
    HostConfig: {
      NetworkMode: o.network,
      RestartPolicy: { Name: 'no' },
      Memory: size.memoryMb * size.hardLimitFactor * MB,
      MemoryReservation: size.memoryMb * MB,
      MemorySwap: size.memoryMb * size.hardLimitFactor * MB,
      CpuShares: size.cpuShares,
      ...(size.cpuQuota > 0 ? { NanoCpus: size.cpuQuota * 1e9 } : {}),
      PidsLimit: size.pidsLimit,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Tmpfs: { '/tmp': 'rw,nosuid,nodev,size=64m' },
      LogConfig: { Type: 'none', Config: {} },
    },
  };
}
