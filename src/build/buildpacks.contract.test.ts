/**
 * The contract every built-in buildpack keeps, run against each of them
 * through the real Builder, once with plain processes and once in the build
 * sandbox (where this host allows it): it detects its kind of app (and not an
 * empty directory), compiles with only the clean build environment, compiles
 * again from its own cache, and releases valid process types.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_STACK_PATH } from '../config/index.js';
import { PROCESS_TYPE } from '../domain/index.js';
import { detectSandbox, formatSupport } from '../sandbox/index.js';
import { BUILTIN_BUILDPACKS, builtinBuildpack, createBuilder, type Builder, type BuiltinBuildpack } from './index.js';
import { SANDBOX_AUTO } from '../../test/support/sandbox-config.js';

/** A small app of each kind; none needs the network to build. */
const FIXTURES: Record<BuiltinBuildpack, Record<string, string>> = {
  node: {
    'package.json': JSON.stringify({ name: 'fixture', version: '1.0.0', scripts: { build: 'node build.js', start: 'node index.js' } }),
    'build.js': "require('node:fs').writeFileSync('built.txt', String(process.env.GREETING));\n",
    'index.js': "console.log('hi');\n",
  },
  python: { 'requirements.txt': '# stdlib only\n', 'app.py': "print('hi')\n" },
  static: { 'index.html': '<h1>hi</h1>\n', 'css/site.css': 'h1 { color: red; }\n' },
  generic: { Procfile: 'web: ./serve.sh\n', 'serve.sh': '#!/bin/sh\necho hi\n' },
};

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function workspace(files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'cupaas-bp-'));
  roots.push(root);
  const app = join(root, 'app');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(app, path)), { recursive: true });
    writeFileSync(join(app, path), content, { mode: 0o755 });
  }
  mkdirSync(app, { recursive: true });
  return { root, app, cache: join(root, 'cache'), work: join(root, 'work') };
}

process.env.CUPAAS_CONTRACT_PLATFORM_SECRET = 'must-not-leak';
const host = { stackPath: DEFAULT_STACK_PATH, npmRegistry: null, pipIndexUrl: null, pipFindLinks: null };
/** The file:// buildpack below lives in a temp dir, which these builders allow. */
const build = { size: 'standard-1x', buildpackDirs: [tmpdir()] };
const SANDBOX = SANDBOX_AUTO;
const support = await detectSandbox(SANDBOX);
const BUILDERS: Array<{ kind: string; builder: Builder; skip: string | false }> = [
  { kind: 'plain', builder: createBuilder({ ...host, build }), skip: false },
  {
    kind: 'sandboxed',
    builder: createBuilder({ ...host, build, sandbox: SANDBOX }),
    skip: support.user && support.cgroups ? false : `needs root with bubblewrap and cgroups; here:\n${formatSupport(support)}`,
  },
];

for (const { kind, builder, skip } of BUILDERS) describe(`${kind} builds`, { skip }, () => {
  for (const name of BUILTIN_BUILDPACKS) {
    describe(`buildpack contract: ${name}`, () => {
      const ws = workspace(FIXTURES[name]);
      let output = '';
      const request = () => ({
        appDir: ws.app, workDir: ws.work, config: { GREETING: 'from-config' }, signal: new AbortController().signal,
        onOutput: (c: string) => (output += c),
      });

      it('detects its kind of app with a framework name, and not an empty directory', async () => {
        const [selected] = await builder.select({ ...request(), refs: [name] });
        assert.ok(selected && selected.name.length > 0);
        const empty = workspace({});
        const run = { env: { PATH: process.env.PATH ?? '' }, onOutput: () => {}, signal: new AbortController().signal };
        assert.equal(await builtinBuildpack(name).detect(empty.app, run), null);
      });

      it('compiles, twice from its own cache, and releases valid process types', async () => {
        mkdirSync(ws.cache, { recursive: true });
        const buildpacks = await builder.select({ ...request(), refs: [name] });
        for (let i = 0; i < 2; i++) {
          const { defaultProcessTypes } = await builder.compile({ ...request(), cacheDir: ws.cache, buildpacks });
          for (const [type, command] of Object.entries(defaultProcessTypes)) {
            assert.match(type, PROCESS_TYPE);
            assert.ok(command.trim().length > 0);
          }
        }
        assert.doesNotMatch(output, /must-not-leak/);
        assert.equal(/runs WITHOUT a sandbox/.test(output), kind === 'plain', 'an unsandboxed build says so in its output');
        assert.ok(!existsSync(join(ws.app, '.npm')), 'tool caches stay out of the slug');
        assert.deepEqual(readdirSync(ws.root).sort(), ['app', 'cache', 'work'], 'writes only to the build, cache and env dirs');
      });
    });
  }

  describe('built-in buildpack specifics', () => {
    it('node runs the build script with config vars, and a second build restores node_modules from the cache', async () => {
      const ws = workspace({ ...FIXTURES.node, 'package.json': JSON.stringify({ name: 'f', version: '1.0.0', scripts: { build: 'node build.js' }, devDependencies: {} }) });
      let output = '';
      const base = {
        appDir: ws.app, workDir: ws.work, cacheDir: ws.cache, config: { GREETING: 'from-config' },
        signal: new AbortController().signal, onOutput: (c: string) => (output += c),
      };
      const buildpacks = await builder.select({ ...base, refs: [] });
      assert.equal(buildpacks[0]?.name, 'Node.js');
      mkdirSync(ws.cache, { recursive: true });
      const first = await builder.compile({ ...base, buildpacks });
      assert.deepEqual(first.defaultProcessTypes, { web: 'npm start' });
      assert.match(output, /Installing dependencies: npm install/);
      assert.equal((await import('node:fs')).readFileSync(join(ws.app, 'built.txt'), 'utf8'), 'from-config');
      // A dyno's fresh HOME would make every `npm start` check the registry for a newer npm (issue 17).
      const { execFileSync } = await import('node:child_process');
      const notifier = (env: Record<string, string> = {}) => execFileSync('bash', ['-c', 'for f in "$HOME"/.profile.d/*.sh; do . "$f"; done; echo "$npm_config_update_notifier"'], {
        env: { PATH: DEFAULT_STACK_PATH, HOME: ws.app, ...env }, encoding: 'utf8',
      }).trim();
      assert.equal(notifier(), 'false');
      assert.equal(notifier({ npm_config_update_notifier: 'true' }), 'true', 'a config var wins');
      output = '';
      // A new push brings fresh sources: without the lockfile npm install wrote.
      rmSync(join(ws.app, 'package-lock.json'), { force: true });
      await builder.compile({ ...base, buildpacks });
      assert.match(output, /Restoring node_modules from the build cache \(package\.json unchanged/);
    });

    it('node without a build script: a second build restores the pruned node_modules and skips npm prune', async () => {
      const ws = workspace({
        'package.json': JSON.stringify({ name: 'f', version: '1.0.0', dependencies: { dep: 'file:dep' }, devDependencies: { devdep: 'file:devdep' } }),
        'dep/package.json': JSON.stringify({ name: 'dep', version: '1.0.0' }),
        'devdep/package.json': JSON.stringify({ name: 'devdep', version: '1.0.0' }),
        'index.js': "console.log('hi');\n",
      });
      let output = '';
      const base = {
        appDir: ws.app, workDir: ws.work, cacheDir: ws.cache, config: {}, signal: new AbortController().signal,
        onOutput: (c: string) => (output += c),
      };
      mkdirSync(ws.cache, { recursive: true });
      const buildpacks = await builder.select({ ...base, refs: [] });
      await builder.compile({ ...base, buildpacks });
      assert.match(output, /Pruning dev dependencies/);
      const installed = () => readdirSync(join(ws.app, 'node_modules')).filter((n) => !n.startsWith('.')).sort();
      assert.deepEqual(installed(), ['dep']);
      output = '';
      // A new push brings fresh sources: without the lockfile and node_modules the first build wrote.
      rmSync(join(ws.app, 'package-lock.json'), { force: true });
      rmSync(join(ws.app, 'node_modules'), { recursive: true });
      await builder.compile({ ...base, buildpacks });
      assert.match(output, /Restoring production node_modules from the build cache \(package\.json unchanged, skipping npm install --include=dev and npm prune\)/);
      assert.doesNotMatch(output, /Pruning dev dependencies/);
      assert.deepEqual(installed(), ['dep'], 'the dev dependency stays out');
    });

    it('detection order prefers node over static for an app with both package.json and index.html', async () => {
      const ws = workspace({ ...FIXTURES.static, ...FIXTURES.node });
      const [first] = await builder.select({
        appDir: ws.app, workDir: ws.work, config: {}, refs: [], signal: new AbortController().signal, onOutput: () => {},
      });
      assert.equal(first?.buildpack.url, 'node');
    });

    it('a buildpack by file:// git URL is cloned with git and used through the same interface', async () => {
      const ws = workspace({ 'hello.txt': 'x' });
      const bp = join(ws.root, 'custom-bp');
      const files = {
        'bin/detect': '#!/bin/sh\n[ -f "$1/hello.txt" ] && echo Hello-Framework\n',
        'bin/compile': '#!/bin/sh\necho "-----> custom compile"\necho built > "$1/out.txt"\n',
        'bin/release': '#!/bin/sh\nprintf -- "---\\ndefault_process_types:\\n  web: cat out.txt\\n"\n',
      };
      for (const [p, c] of Object.entries(files)) {
        mkdirSync(dirname(join(bp, p)), { recursive: true });
        writeFileSync(join(bp, p), c, { mode: 0o755 });
      }
      const { execFileSync } = await import('node:child_process');
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: bp, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
      git('init', '--quiet');
      git('add', '.');
      git('commit', '--quiet', '-m', 'bp');
      let output = '';
      const base = {
        appDir: ws.app, workDir: ws.work, cacheDir: ws.cache, config: {}, signal: new AbortController().signal,
        onOutput: (c: string) => (output += c),
      };
      const selected = await builder.select({ ...base, refs: [`file://${bp}`] });
      assert.equal(selected[0]?.name, 'Hello-Framework');
      mkdirSync(ws.cache, { recursive: true });
      const result = await builder.compile({ ...base, buildpacks: selected });
      assert.deepEqual(result.defaultProcessTypes, { web: 'cat out.txt' });
      assert.ok(existsSync(join(ws.app, 'out.txt')));
      assert.match(output, /Fetching buildpack file:\/\/.*-----> custom compile/s);
    });

    it('a buildpack passes PATH and variables on to the next one through its export file', async () => {
      const sh = (body: string) => `#!/bin/sh\nset -e\n${body}\n`;
      const ws = workspace({
        'first/bin/detect': sh('echo First'),
        'first/bin/compile': sh('mkdir -p "$1/.tools"; printf "#!/bin/sh\\necho tool-ran\\n" > "$1/.tools/hello"; chmod +x "$1/.tools/hello"\n' +
          'printf "export PATH=\\"%s/.tools:\\$PATH\\"\\nexport FROM_FIRST=yes\\n" "$1" > "$(dirname "$0")/../export"'),
        'second/bin/detect': sh('echo Second'),
        'second/bin/compile': sh('echo "$(hello) $FROM_FIRST" > "$1/out.txt"'),
      });
      const base = {
        appDir: ws.app, workDir: ws.work, cacheDir: ws.cache, config: {}, signal: new AbortController().signal, onOutput: () => {},
      };
      mkdirSync(ws.cache, { recursive: true });
      await builder.compile({ ...base, buildpacks: await builder.select({ ...base, refs: ['first', './second'] }) });
      assert.equal(readFileSync(join(ws.app, 'out.txt'), 'utf8'), 'tool-ran yes\n');
      assert.ok(!existsSync(join(ws.app, 'first', 'export')), "the app's own copy of the buildpack is left as it was");
    });

    it('static serves its files with content types, ETags and caching headers, and hides dotfiles', async (t) => {
      const ws = workspace({ ...FIXTURES.static, '.env': 'SECRET=1\n' });
      const base = {
        appDir: ws.app, workDir: ws.work, cacheDir: ws.cache, config: {}, signal: new AbortController().signal, onOutput: () => {},
      };
      mkdirSync(ws.cache, { recursive: true });
      const { defaultProcessTypes } = await builder.compile({ ...base, buildpacks: await builder.select({ ...base, refs: [] }) });
      const [cmd, script] = (defaultProcessTypes.web ?? '').split(' ') as [string, string];
      assert.equal(cmd, 'node');
      const { spawn } = await import('node:child_process');
      const server = spawn(process.execPath, [script], { cwd: ws.app, env: { PATH: process.env.PATH, PORT: '0' } });
      t.after(() => server.kill('SIGKILL'));
      const port = await new Promise<number>((resolve, reject) => {
        server.stdout.on('data', (c: Buffer) => {
          const m = /listening on port (\d+)/.exec(c.toString());
          if (m) resolve(Number(m[1]));
        });
        server.on('exit', (code) => reject(new Error(`static server exited ${code}`)));
      });
      const get = (path: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${port}${path}`, { headers });
      const index = await get('/');
      assert.equal(index.status, 200);
      assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(index.headers.get('cache-control'), 'no-cache');
      assert.match(await index.text(), /<h1>hi<\/h1>/);
      const css = await get('/css/site.css');
      assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
      assert.equal(css.headers.get('cache-control'), 'public, max-age=3600');
      const etag = css.headers.get('etag') ?? '';
      assert.ok(etag);
      assert.equal((await get('/css/site.css', { 'If-None-Match': etag })).status, 304);
      assert.equal((await get('/.env')).status, 404);
      assert.equal((await get('/.cupaas-static/server.mjs')).status, 404);
      assert.equal((await get('/%2e%2e/%2e%2e/etc/passwd')).status, 404);
      assert.equal((await get('/missing.html')).status, 404);
    });
  });
});
