import { tar } from '../shared/occasional.js';
import { followProgress, messageError, type Engine } from './engine.js';
import { LABEL } from './labels.js';

/** The names a Dockerfile declares with `ARG NAME` or `ARG NAME=default` (any stage). */
export function declaredArgs(dockerfile: string): string[] {
  const names = new Set<string>();
  for (const line of dockerfile.split('\n')) {
    const m = /^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(line);
    if (m?.[1]) names.add(m[1]);
  }
  return [...names];
}

export interface DockerfileBuild {
  /** The app's source directory (the build context), with a `Dockerfile` at its root unless `dockerfile` says otherwise. */
  dir: string;
  /** Path of the Dockerfile inside the context. */
  dockerfile: string;
  /** The app's config vars: those the Dockerfile declares with ARG are passed as build args, no others. */
  config: Readonly<Record<string, string>>;
  /** The Dockerfile's text (to find its ARGs). */
  dockerfileText: string;
  /** Build args given explicitly (Compose `build.args`), over those taken from the config. */
  args?: Readonly<Record<string, string>>;
  /** The stage to build (Compose `build.target`); the last one when unset. */
  target?: string | null;
  home: string;
  appId: string;
  /** Build memory limit (bytes): a build on a small server must not take the machine down. */
  memoryBytes: number;
  /** Aborts the build (time limit, shutdown): the engine stops it when the connection closes. */
  signal: AbortSignal;
  onLine(line: string): void;
}

/**
 * Builds an app's Dockerfile through the engine's API. The engine's layer
 * cache makes a rebuild after a code-only change reuse every layer before the
 * first COPY of the code. Resolves with the image id; a failed build rejects
 * with the engine's message (the push is then refused).
 */
export async function buildDockerfile(engine: Engine, b: DockerfileBuild): Promise<string> {
  const fromConfig = declaredArgs(b.dockerfileText).filter((n) => n in b.config).map((n) => [n, b.config[n] as string]);
  const buildargs = { ...Object.fromEntries(fromConfig), ...b.args };
  const context = tar().c({ cwd: b.dir, portable: true }, ['.']);
  const stream = await engine.buildImage(context as unknown as NodeJS.ReadableStream, {
    dockerfile: b.dockerfile,
    buildargs,
    ...(b.target ? { target: b.target } : {}),
    labels: { [LABEL.home]: b.home, [LABEL.app]: b.appId },
    memory: b.memoryBytes,
    memswap: b.memoryBytes,
    forcerm: true,
    abortSignal: b.signal,
  } as Parameters<Engine['buildImage']>[1]);
  let id: string | null = null;
  let failure: string | null = null;
  await followProgress(engine, stream, (m) => {
    if (m.aux?.ID) id = m.aux.ID;
    const error = messageError(m);
    if (error) {
      failure ??= error;
      b.onLine(error);
    }
    m.stream?.split('\n').filter((l) => l.trim()).forEach((l) => b.onLine(l));
  });
  if (b.signal.aborted) throw new Error('the Docker build was stopped (time limit or shutdown)');
  if (failure || !id) throw new Error(`the Docker build failed: ${failure ?? 'the engine reported no image id'}`);
  return id;
}
