import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readText } from '../manifest/read.js';

/** The names Compose looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

/** The compose file at the root of a source tree, or null when it has none. */
export function findComposeFile(dir: string): string | null {
  return COMPOSE_FILE_NAMES.find((name) => existsSync(join(dir, name))) ?? null;
}

/** The root compose file's name and text (a regular file of bounded size), or null. */
export function readComposeFile(dir: string): { file: string; text: string } | null {
  const file = findComposeFile(dir);
  const text = file ? readText(dir, file) : null;
  return file && text !== null ? { file, text } : null;
}
