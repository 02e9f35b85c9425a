import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessTypes } from '../../domain/index.js';
import { parseAppJson, type AppJson } from './app-json.js';
import { parseCupaasFile, type CupaasFile } from './cupaas-file.js';
import { manifestError } from './errors.js';
import { parseHerokuYml, type HerokuYml } from './heroku-yml.js';
import { parseProcfile } from './procfile.js';

export interface Manifests {
  procfile: ProcessTypes | null;
  appJson: AppJson | null;
  cupaas: CupaasFile | null;
  /** Heroku's `heroku.yml` (Docker builds), read only by image builds. */
  herokuYml: HerokuYml | null;
  /** Things worth telling the user that do not fail the build. */
  warnings: string[];
}

const MAX_MANIFEST_BYTES = 256 * 1024;

/** A manifest file's text (a regular file of bounded size), or null when the app has none. */
export function readText(dir: string, name: string): string | null {
  const path = join(dir, name);
  if (!existsSync(path)) return null;
  const s = statSync(path);
  if (!s.isFile()) throw manifestError(name, null, 'expected a regular file');
  if (s.size > MAX_MANIFEST_BYTES) throw manifestError(name, null, `expected at most ${MAX_MANIFEST_BYTES} bytes`);
  return readFileSync(path, 'utf8');
}

/**
 * Reads the app's manifests (`Procfile`, `app.json`, `.cupaas`, `heroku.yml`) from its
 * source. `services` are the service names the platform supports.
 */
export function readManifests(dir: string, services: readonly string[]): Manifests {
  const procfileText = readText(dir, 'Procfile');
  const appJsonText = readText(dir, 'app.json');
  const cupaasText = readText(dir, '.cupaas');
  const cupaas = cupaasText === null ? null : parseCupaasFile(cupaasText, services);
  const herokuYmlText = readText(dir, 'heroku.yml');
  return {
    procfile: procfileText === null ? null : parseProcfile(procfileText),
    appJson: appJsonText === null ? null : parseAppJson(appJsonText, services),
    cupaas: cupaas?.file ?? null,
    herokuYml: herokuYmlText === null ? null : parseHerokuYml(herokuYmlText),
    warnings: cupaas?.warnings ?? [],
  };
}
