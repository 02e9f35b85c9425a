import type Docker from 'dockerode';
import { errorMessage } from '../shared/errors.js';
import { lazyPackage } from '../shared/lazy.js';

/** dockerode and what it pulls in (ssh2, gRPC, protobuf: ~20 MB resident): loaded when an engine is first used (issue 17). */
const dockerode = lazyPackage<typeof Docker>('dockerode');

export type Engine = Docker;

/** A client of the Docker engine's API on its unix socket (no shell, no docker CLI). */
export function connectEngine(socketPath: string): Engine {
  return new (dockerode())({ socketPath });
}

export interface EngineStatus {
  ok: boolean;
  /** `Docker Engine 20.10.24 (API 1.41)`, or what to install or start. */
  report: string;
}

/** Whether the engine answers, and what to do when it does not. */
export async function engineStatus(engine: Engine, socketPath: string): Promise<EngineStatus> {
  try {
    const v = await engine.version();
    return { ok: true, report: `Docker Engine ${v.Version} (API ${v.ApiVersion}) on ${socketPath}` };
  } catch (e) {
    return {
      ok: false,
      report:
        `no Docker engine answers on ${socketPath} (${errorMessage(e)}): install Debian's docker.io ` +
        '(apt-get install docker.io, or scripts/install-deps.sh as root) and start it (scripts/start-dockerd.sh), ' +
        'or set CUPAAS_DOCKER_SOCKET',
    };
  }
}

/** Follows a streamed engine operation (build, push) to its end, handing each JSON message over. */
export function followProgress(
  engine: Engine,
  stream: NodeJS.ReadableStream,
  onMessage: (m: EngineMessage) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    engine.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (m: EngineMessage) => {
        onMessage(m);
      },
    );
  });
}

/** One JSON line of a build or push stream. */
export interface EngineMessage {
  stream?: string;
  status?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string; Digest?: string; Tag?: string };
}

/** The message's error, if it reports one (the engine ends a failed build with it, not with an HTTP error). */
export const messageError = (m: EngineMessage): string | null => m.errorDetail?.message ?? m.error ?? null;
