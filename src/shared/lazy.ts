import { createRequire } from 'node:module';
import v8 from 'node:v8';

const cache = createRequire(import.meta.url).cache;

/** Releases this close together share one collection. */
const COLLECT_AFTER_MS = 1_000;
let collection: NodeJS.Timeout | undefined;

/**
 * Gives the heap a released package took back to the system, where `gc` is
 * exposed (the server runs with --expose-gc): idle, V8 may not run a full
 * collection for a long time. One collection frees the modules but leaves the
 * pages they sat in sparse, and V8 moves objects off a page only when most of
 * it is free (its threshold is made for busy heaps, where moving costs time).
 * A second collection, told to compact every page worth it, hands those pages
 * back: 1.5-2.5 MB of an idle server's heap after a deploy (issue 17). The
 * flag is V8's own and applies only to these two collections.
 */
function collectReleased(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc || collection) return;
  collection = setTimeout(() => {
    collection = undefined;
    v8.setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
      gc();
    } finally {
      v8.setFlagsFromString('--no-compact-on-every-full-gc');
    }
  }, COLLECT_AFTER_MS).unref();
}

export interface LazyOptions {
  /**
   * Let the package go this long after its last use: its modules leave
   * require's cache and nothing here holds them, so V8 collects their code
   * and sources; the next use loads them again (milliseconds, from the page
   * cache). For packages only occasional work needs (a deploy's yaml and
   * tar): an idle server should not keep what the last deploy loaded. Where
   * `gc` is exposed (the server), a compacting collection follows the release.
   * A use still running when the time is up keeps what it holds.
   */
  releaseAfterMs?: number;
}

/**
 * A package loaded on first use instead of at start (synchronously, through
 * its CommonJS build, or its ES module build for ESM-only packages such as
 * `@kubernetes/client-node`: Node ≥ 20.19 requires those too). For packages
 * only some servers or some requests use (yaml, tar, dockerode, prom-client,
 * cron-parser, the Kubernetes client): an idle server should not hold their
 * code (issue 17: the server's memory is memory apps do not get). Types come
 * from `typeof import('pkg')`.
 */
export function lazyPackage<T>(name: string, opts: LazyOptions = {}): () => T {
  let loaded: { exports: T; files: string[] } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const release = () => {
    for (const file of loaded?.files ?? []) delete cache[file];
    loaded = undefined;
    collectReleased();
  };
  return () => {
    if (!loaded) {
      // The files this load added to the cache (the package and the dependencies it brought in) are what a release removes.
      const before = new Set(Object.keys(cache));
      // A require function of its own: the module it stands for lists what it loaded as its children, and must not outlive a release.
      const exports = createRequire(import.meta.url)(name) as T;
      loaded = { exports, files: Object.keys(cache).filter((f) => !before.has(f)) };
    }
    if (opts.releaseAfterMs !== undefined) {
      clearTimeout(timer);
      timer = setTimeout(release, opts.releaseAfterMs).unref();
    }
    return loaded.exports;
  };
}
