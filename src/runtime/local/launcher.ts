import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { appTemplate, withAppCopy } from './app-copies.js';

/** Everything a launcher needs to start one dyno's command. */
export interface LaunchRequest {
  /** The extracted slug (the app directory), shared by all dynos of the release; never written to. */
  releaseDir: string;
  /** This dyno's own writable directory; deleted once the dyno is gone. */
  scratchDir: string;
  /** The process type's command. */
  command: string;
  /** The dyno's whole environment except HOME, which the launcher sets to wherever the app dir is. */
  env: Readonly<Record<string, string>>;
  size: string;
  /** The dyno's id, app and name (`web.1`): hostname, resource names and log lines. */
  dynoId: string;
  appId: string;
  name: string;
  /** A client is attached: pipe stdin too, and give the command a terminal when `tty`. */
  attached?: { tty: boolean };
  /**
   * Where stdout and stderr go when no client is attached: an fd of the dyno's
   * output file (opened O_APPEND), never a pipe to the server, so the dyno
   * outlives a server crash (design/023). The launcher closes nothing: the driver owns it.
   */
  output: number;
  /** A file the dyno's shell writes its exit status to, so that a later server learns it; absent when attached. */
  statusFile?: string;
}

/** A launched dyno. Only `child` is required; the rest overrides the local driver's defaults. */
export interface LaunchedDyno {
  /** The dyno's leader process (leads its process group). */
  child: ChildProcess;
  /** Where the dyno accepts connections on `$PORT`, when not the host's loopback (own network namespace). */
  host?: string;
  /** Releases what the launcher set up for this dyno (cgroup, network); called once every process is gone. */
  release?(): Promise<void>;
  /**
   * Settles once a SIGTERM to the group reaches the dyno's shell, when the
   * launcher's own first processes ignore it (a stop waits for this, or its
   * SIGTERM would be lost and only the SIGKILL after the timeout would end the dyno).
   */
  stoppable?: Promise<void>;
}

/**
 * The one step that differs between the plain and sandboxed local drivers:
 * how the app dir is made writable per dyno and how the process is spawned.
 * The child must lead its own process group (so a stop reaches all of its
 * children) and take its stdio from `dynoStdio`. `launch` resolves once the process
 * has spawned and rejects when it could not be.
 */
export interface Launcher {
  /** Reported per dyno in the API (`none` for plain processes). */
  readonly isolation: string;
  launch(req: LaunchRequest): Promise<LaunchedDyno>;
  /**
   * Called once from the driver's `adopt()`, after it adopted what it could
   * and before it reaps the rest: finish detecting what the host supports, and
   * release what dynos of a previous server left behind (their scratch dirs
   * are still in `dynosDir`; `skip` names the dyno ids this server runs, adopted ones included).
   */
  recover?(dynosDir: string, skip: ReadonlySet<string>): Promise<void>;
  /**
   * What the launcher set up for a dyno a previous server launched and this
   * one adopts (its scratch dir): the clean-up to run once it is gone.
   */
  adopted?(scratchDir: string): Pick<LaunchedDyno, 'release'>;
  /** Releases what the launcher holds for dynos yet to come (the driver closes; running dynos keep theirs). */
  close?(): Promise<void>;
}

/**
 * Heroku's startup order: `.profile.d/*.sh`, then `.profile`, then the
 * command. The command arrives as `$1`, so it is never spliced into this text.
 * A stop's SIGTERM goes to the whole group, the command's processes included:
 * before the command starts it ends the shell (status 143); while the command
 * runs, the shell waits for it to finish its shutdown and exits with its status
 * (a shell that died at once would end a sandbox while the app still drains).
 * The trap is a handler, not an ignore, so the command gets SIGTERM's default.
 */
const PRELUDE = [
  "trap 'exit 143' TERM",
  'for f in "$HOME"/.profile.d/*.sh; do [ -r "$f" ] && . "$f"; done',
  '[ -r "$HOME/.profile" ] && . "$HOME/.profile"',
  "trap 'exit $?' TERM",
  'eval "$1"',
].join('\n');

/**
 * Runs argv on a pseudo-terminal and copies bytes between it and stdin/stdout
 * (Node has no pty; the stack's python3 is visible in every sandbox). The
 * child leads its own session, so SIGTERM and SIGHUP are passed on to it, and
 * its status (128 + signal when killed) becomes ours.
 */
const PTY = `
import fcntl, os, pty, select, signal, struct, sys, termios
pid, fd = pty.fork()
if pid == 0:
    try:
        size = struct.pack('HHHH', int(os.environ.get('LINES') or 24), int(os.environ.get('COLUMNS') or 80), 0, 0)
        fcntl.ioctl(0, termios.TIOCSWINSZ, size)
    except (ValueError, OSError, struct.error):
        pass
    os.execvp(sys.argv[1], sys.argv[1:])
for s in (signal.SIGTERM, signal.SIGHUP):
    signal.signal(s, lambda n, f: os.killpg(pid, n))
def put(out, data):
    while data:
        data = data[os.write(out, data):]
fds = [0, fd]
while True:
    ready = select.select(fds, [], [])[0]
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        if not data:
            break
        put(1, data)
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            put(fd, data)
        else:
            fds.remove(0)
code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
sys.exit(code if code >= 0 else 128 - code)
`;

/** The argv that runs a Procfile command the Heroku way (on a terminal when `tty`), for any launcher. */
export const dynoShellArgv = (command: string, tty = false): string[] => [
  // Absolute: an app's PATH config var must not decide which program gets the terminal.
  ...(tty ? ['/usr/bin/python3', '-c', PTY] : []),
  'bash', '-c', PRELUDE, 'dyno', command,
];

/**
 * A host-side shell that runs argv and writes its exit status to `$1`, then
 * exits with it: a server that adopted the dyno is not its parent and learns
 * the status only this way (design/023). It leads the group; its TERM trap is
 * a handler, so a stop's SIGTERM keeps its default action in argv and the
 * shell goes on waiting for argv to finish its shutdown.
 */
const STATUS_WRAPPER = 'trap true TERM\n"${@:2}"\nstatus=$?\necho "$status" > "$1"\nexit "$status"';

/** argv run under STATUS_WRAPPER when the launch asks for a status file. */
export const withExitStatus = (argv: readonly string[], statusFile: string | undefined): string[] =>
  // Absolute, so the dyno's PATH does not pick the program; -p, so its env (BASH_ENV, functions, SHELLOPTS) cannot
  // run code in this shell, which is outside the sandbox (root there).
  statusFile ? ['/bin/bash', '-p', '-c', STATUS_WRAPPER, 'dyno-status', statusFile, ...argv] : [...argv];

/** Pipes to the server only when a client is attached; otherwise no stdin, and output to the dyno's file. */
export const dynoStdio = (req: LaunchRequest): ['pipe', 'pipe', 'pipe'] | ['ignore', number, number] =>
  req.attached ? ['pipe', 'pipe', 'pipe'] : ['ignore', req.output, req.output];

/** No isolation: the dyno runs as the platform's user in a private copy of the app dir. */
export const plainLauncher: Launcher = {
  isolation: 'none',
  async launch(req) {
    const appDir = join(req.scratchDir, 'app');
    // The release dir is read-only; the dyno's copy must be writable like a fresh /app.
    const template = await appTemplate(req.releaseDir);
    const argv = withAppCopy(template, appDir, dynoShellArgv(req.command, req.attached?.tty));
    const [cmd, ...args] = withExitStatus(argv, req.statusFile) as [string, ...string[]];
    const child = spawn(cmd, args, {
      // The copy script enters the app dir once it exists.
      cwd: req.scratchDir,
      env: { ...req.env, HOME: appDir },
      detached: true,
      stdio: dynoStdio(req),
    });
    await once(child, 'spawn');
    return { child };
  },
};
