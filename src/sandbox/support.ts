import type { ResolvedConfig } from '../config/index.js';
import { errorMessage } from '../shared/errors.js';
import { run } from '../shared/process.js';
import type { CgroupLayout } from './cgroup-layout.js';
import { detectCgroups } from './cgroups.js';
import { ensureDynoUser, type DynoUser } from './dyno-user.js';

export type SandboxConfig = Readonly<ResolvedConfig['sandbox']>;

/** One protection and why it is (in)active, for logs and `cupaas server --doctor`. */
export interface Protection {
  name: 'bubblewrap' | 'cgroups' | 'private network';
  active: boolean;
  detail: string;
}

/** What this host lets the local runtime do, found once at start-up. */
export interface SandboxSupport {
  /** `bubblewrap+cgroup-v1+netns`, or `none` for plain processes. */
  isolation: string;
  protections: Protection[];
  user: DynoUser | null;
  cgroups: CgroupLayout | null;
  privateNetwork: boolean;
}

const off = (detail: string): Omit<Protection, 'name'> => ({ active: false, detail });

async function works(argv: string[]): Promise<string | null> {
  try {
    const r = await run(argv, { timeout: 10_000 });
    return r.code === 0 ? null : r.stderr.trim() || `exit ${r.code}`;
  } catch (e) {
    return errorMessage(e);
  }
}

/** Runs a trivial sandbox the way dynos run, and the dyno user it needs. */
async function checkBubblewrap(config: SandboxConfig): Promise<{ p: Omit<Protection, 'name'>; user: DynoUser | null }> {
  if (process.platform !== 'linux') return { p: off(`not Linux (${process.platform})`), user: null };
  if (process.getuid?.() !== 0) return { p: off('the server does not run as root (needed to switch dynos to an unprivileged user and set limits)'), user: null };
  for (const tool of [['setpriv', '--version'], ['nsenter', '--version']]) {
    const why = await works(tool);
    if (why) return { p: off(`${tool[0]} is unusable (${why}); install util-linux`), user: null };
  }
  const why = await works(['bwrap', '--die-with-parent', '--unshare-pid', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '--', 'true']);
  if (why) return { p: off(`bubblewrap cannot run a sandbox (${why}); install the bubblewrap package`), user: null };
  try {
    const user = await ensureDynoUser(config.user);
    return { p: { active: true, detail: `pid, mount, ipc, uts namespaces; read-only system; dynos run as ${user.name} (uid ${user.uid}) without capabilities` }, user };
  } catch (e) {
    return { p: off(errorMessage(e)), user: null };
  }
}

async function checkNetwork(config: SandboxConfig): Promise<Omit<Protection, 'name'>> {
  if (!config.privateNetwork) return off('turned off (CUPAAS_SANDBOX_NETWORK=off): dynos share the host network');
  const probe = `cupaas-probe-${process.pid}`;
  const why = await works(['ip', 'netns', 'add', probe]);
  if (why) return off(`cannot create network namespaces (${why}); install iproute2`);
  const cleanup = await works(['ip', 'netns', 'delete', probe]);
  if (cleanup) return off(`cannot delete network namespaces (${cleanup})`);
  return { active: true, detail: `own network namespace per dyno, a /30 from ${config.addressPool}; reachable: the host end of its veth and the services address only` };
}

/** Probes every protection (spawning a test sandbox and namespace). Never throws. */
export async function detectSandbox(config: SandboxConfig): Promise<SandboxSupport> {
  if (config.mode === 'off') {
    const p = off('turned off (CUPAAS_SANDBOX=off)');
    return {
      isolation: 'none', user: null, cgroups: null, privateNetwork: false,
      protections: [{ name: 'bubblewrap', ...p }, { name: 'cgroups', ...p }, { name: 'private network', ...p }],
    };
  }
  const bw = await checkBubblewrap(config);
  const needsBwrap = off('needs the bubblewrap sandbox');
  const cg = bw.user ? detectCgroups() : { reason: needsBwrap.detail };
  const net = bw.user ? await checkNetwork(config) : needsBwrap;
  const layout = 'layout' in cg ? cg.layout : null;
  const protections: Protection[] = [
    { name: 'bubblewrap', ...bw.p },
    {
      name: 'cgroups',
      ...(layout ? { active: true, detail: `cgroup v${layout.version}: memory, CPU and pids limits per dyno size` } : off((cg as { reason: string }).reason)),
    },
    { name: 'private network', ...net },
  ];
  const parts = bw.user ? ['bubblewrap', ...(layout ? [`cgroup-v${layout.version}`] : []), ...(net.active ? ['netns'] : [])] : [];
  return { isolation: parts.join('+') || 'none', protections, user: bw.user, cgroups: layout, privateNetwork: net.active };
}

/** The doctor's report: one line per protection. */
export function formatSupport(s: SandboxSupport): string {
  const lines = s.protections.map((p) => `${p.active ? '[on] ' : '[off]'} ${p.name}: ${p.detail}`);
  return [`dyno isolation: ${s.isolation}`, ...lines].join('\n');
}
