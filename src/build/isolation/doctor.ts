import { DYNO_SIZES } from '../../config/index.js';
import type { BuilderOptions } from '../builder.js';
import { createIsolation } from './isolation.js';
import { planMirrors } from './mirrors.js';

/**
 * `cupaas server --doctor`: what builds run in on this host (probed the way
 * builds use it), their limits, their only way out, and where buildpacks may
 * come from by path. Changes nothing.
 */
export async function buildSandboxReport(opts: BuilderOptions): Promise<string> {
  const size = DYNO_SIZES.find((s) => s.name === (opts.build?.size ?? 'standard-1x'));
  const mirrors = planMirrors(opts);
  const { isolation, warning } = await createIsolation({ sandbox: opts.sandbox ?? null, size: size ?? DYNO_SIZES[0]!, mirrors }).describe();
  const on = isolation !== 'none';
  const limited = on && isolation.includes('cgroup');
  const ways = [...mirrors.endpoints.map((e) => `${e.host}:${e.port}`), ...mirrors.paths.map((p) => `${p} (read-only)`)];
  const dirs = opts.build?.buildpackDirs ?? [];
  return [
    `build isolation: ${isolation}`,
    on
      ? `[on]  build sandbox: pid, mount, ipc, uts namespaces; read-only system; only the build, cache and env dirs; builds run as ${opts.sandbox?.user} without capabilities`
      : `[off] build sandbox: ${warning}; builds run as the server's user and can read its secrets`,
    limited
      ? `[on]  build limits: ${size?.name} (CUPAAS_BUILD_SIZE): ${size?.memoryMb} MB memory, ${size?.cpuQuota || 'all'} CPU, ${size?.pidsLimit} processes`
      : `[off] build limits: ${on ? warning : 'needs the build sandbox'}`,
    on
      ? `[on]  build network: loopback only; way out: ${ways.join(', ')} (npm_config_registry, CUPAAS_PIP_INDEX_URL, CUPAAS_PIP_FIND_LINKS)`
      : '[off] build network: the host network',
    `      buildpacks by server path: ${dirs.length ? dirs.join(', ') : 'none allowed'} (CUPAAS_BUILDPACK_DIRS)`,
  ].join('\n');
}
