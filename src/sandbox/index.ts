/**
 * The one sandbox mechanism of the platform, shared by dynos (the local
 * runtime's launcher) and builds (buildpack programs): the bubblewrap argv
 * (own pid, mount, ipc, uts and cgroup namespaces, read-only system, a few
 * /etc files, only the binds asked for, an unprivileged user without
 * capabilities), cgroups with memory, CPU and pids limits (v1 or v2, below
 * the server's own cgroup), the unprivileged user, and detecting what this
 * host supports. Must not decide what runs or touch cgroups it did not create;
 * network namespaces with addresses are the runtime's (dynos), a build's
 * loopback-only namespace is bubblewrap's own.
 */
export { hostsFileText, sandboxArgv, type Bind, type PathKind, type SandboxCommand } from './bwrap-argv.js';
export { DYNOS_CGROUP, type CgroupLayout } from './cgroup-layout.js';
export { limitsFor, type DynoLimits } from './cgroup-limits.js';
export { createDynoCgroup, dynoCgroup, killCgroup, pidsIn, removeDynoCgroup, type DynoCgroup } from './cgroups.js';
export { describePath } from './describe-path.js';
export { findUser, type DynoUser } from './dyno-user.js';
export { splitHostEnv } from './host-env.js';
export { detectSandbox, formatSupport, type Protection, type SandboxConfig, type SandboxSupport } from './support.js';
