import { serviceEnv } from '../build/index.js';
import type { DynoSpec } from '../runtime/index.js';
import { newId } from '../shared/ids.js';
import type { DesiredProcess, DesiredRelease } from './model.js';

export interface DynoSpecInput {
  appId: string;
  appName: string;
  release: Pick<DesiredRelease, 'id' | 'version' | 'artifact' | 'processArtifacts' | 'config' | 'healthCheckPath'>;
  name: string;
  processType: string;
  command: string;
  size: string;
  /** Added over the config vars (`heroku run --env`). */
  env?: Readonly<Record<string, string>>;
  oneOff?: DynoSpec['oneOff'];
  /** A Compose process type's `environment:`. */
  processEnv?: DesiredProcess['env'];
}

/** The one recipe for a dyno's spec and environment, formation or one-off. */
export function dynoSpec(i: DynoSpecInput): DynoSpec {
  const web = i.processType === 'web' && !i.oneOff;
  return {
    dynoId: newId(), appId: i.appId, name: i.name, processType: i.processType, releaseId: i.release.id,
    releaseVersion: i.release.version, artifact: i.release.processArtifacts?.[i.processType] ?? i.release.artifact, command: i.command, size: i.size, web,
    healthCheckPath: web ? i.release.healthCheckPath : null,
    env: { ...(i.processEnv ? serviceEnv(i.processEnv, i.release.config) : {}), ...i.release.config, ...i.env, DYNO: i.name, CUPAAS_APP: i.appName, CUPAAS_RELEASE_VERSION: String(i.release.version) },
    ...(i.oneOff ? { oneOff: i.oneOff } : {}),
  };
}
