import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A package loaded on first use instead of at start (synchronously, through
 * its CommonJS build). For packages only builds use (yaml, tar): an idle
 * server should not hold their code (issue 17: the server's memory is memory
 * apps do not get). Types come from `typeof import('pkg')`.
 */
export function lazyPackage<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
