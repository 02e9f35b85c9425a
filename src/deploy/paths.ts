import { join } from 'node:path';

/** Where deploys keep their files under $CUPAAS_HOME. */
export function deployPaths(home: string) {
  return {
    /** One output file per build, grouped by app so the app's removal takes them all. */
    outputDir: (appId: string) => join(home, 'builds', appId),
    output: (appId: string, buildId: string) => join(home, 'builds', appId, `${buildId}.log`),
    /** The app's build cache (CACHE_DIR), kept between builds. */
    cache: (appId: string) => join(home, 'build-cache', appId),
    /** Scratch space of one build, removed when it ends. */
    work: (buildId: string) => join(home, 'tmp', `build-${buildId}`),
  };
}

export type DeployPaths = ReturnType<typeof deployPaths>;
