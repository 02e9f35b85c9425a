/** The programs `npm run bench` drives, installed from Debian's packages when run as root. */
import { spawnSync } from 'node:child_process';

/** Program → Debian package. */
const TOOLS: Record<string, string> = { wrk: 'wrk', nginx: 'nginx', haproxy: 'haproxy' };
const SBIN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const found = (program: string): boolean =>
  spawnSync('sh', ['-c', 'command -v "$1"', 'sh', program], { stdio: 'ignore', env: { ...process.env, PATH: `${process.env.PATH}:${SBIN_PATH}` } }).status === 0;

/**
 * Makes sure every bench tool is there: as root on Debian it installs the
 * missing packages with apt-get; otherwise it throws naming them, instead of
 * a later `spawn wrk ENOENT`.
 */
export function ensureBenchTools(programs: readonly string[] = Object.keys(TOOLS)): void {
  const missing = programs.filter((p) => !found(p));
  if (!missing.length) return;
  const packages = missing.map((p) => TOOLS[p] ?? p);
  if (process.getuid?.() === 0 && found('apt-get')) {
    console.error(`bench: installing ${packages.join(', ')} (apt-get)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
    if (r.status === 0 && missing.every(found)) return;
  }
  throw new Error(`the bench needs ${missing.join(', ')}: install the Debian packages ${packages.join(' ')} (as root: apt-get install ${packages.join(' ')})`);
}
