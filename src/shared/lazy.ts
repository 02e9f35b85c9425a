import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A package loaded on first use instead of at start (synchronously, through
 * its CommonJS build, or its ES module build for ESM-only packages such as
 * `@kubernetes/client-node`: Node ≥ 20.19 requires those too). For packages
 * only some servers or some requests use (yaml, tar, dockerode, prom-client,
 * cron-parser, the Kubernetes client): an idle server should not hold their
 * code (issue 17: the server's memory is memory apps do not get). Types come
 * from `typeof import('pkg')`.
 */
export function lazyPackage<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
