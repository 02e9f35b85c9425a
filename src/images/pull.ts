import { followProgress, messageError, type Engine } from './engine.js';

/** Pulls `ref` into the engine; rejects with the engine's message when the pull fails midway. */
export async function pullImage(engine: Engine, ref: string): Promise<void> {
  const stream = (await engine.pull(ref)) as NodeJS.ReadableStream;
  let failure: string | null = null;
  await followProgress(engine, stream, (m) => {
    failure ??= messageError(m);
  });
  if (failure) throw new Error(failure);
}
