/** Destroys `target` unless the caller clears the returned timer once connected (Logplex: 3 s). */
export const connectDeadline = (target: { destroy(error: Error): void }, ms: number): NodeJS.Timeout =>
  setTimeout(() => target.destroy(new Error(`no connection after ${ms} ms`)), ms);
