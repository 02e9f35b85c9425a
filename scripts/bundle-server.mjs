// Bundles `cupaas server` into one minified CommonJS file, dist/bundle/server.cjs (issue 17, docs/design/025).
// Usage: node scripts/bundle-server.mjs [OUT_DIR]   (default dist/bundle; `npm run build` runs it)
//
// Why: V8 keeps every module's source text, and Node's loader keeps records per module; the
// server's ~500 modules (zod's 160 of them) cost ~7 MB resident at idle, one minified file ~0.
// The file sits two levels below the repository, as the compiled modules do, so the paths they
// take from `import.meta.url` (buildpacks/, scripts/, dist/dashboard/) and the packages loaded on
// first use (shared/lazy.ts) resolve the same way.
// CommonJS, not an ES module: Node's ES module loader is ~20 more modules of its own in the process
// (0.2-0.8 MB resident in the server, about 2 MB in a bare node); bin/cupaas.js is CommonJS for that reason.
// `import.meta.url` becomes the file's URL, set before esbuild's code runs.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * zod's `z.locales` namespace re-exports its ~60 translations (0.5 MB of source the server would
 * hold); cupaas never reads it. English, which zod's schemas import directly, stays.
 */
const withoutZodLocales = {
  name: 'without-zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      a.importer.includes('/node_modules/zod/') ? { path: 'zod-locales', namespace: 'empty' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

/**
 * Built-ins that most servers never use, loaded on first use instead of at start: TLS (~0.8 MB
 * resident with a context: only an attach to a one-off dyno, TLS drains and the Node plane's HTTPS
 * port need it), https (drains) and readline (Docker and Swarm log streams). Their facade forwards
 * each function to the module, fetched at the call; the default export reads any other member
 * (a class, a constant) when it is read. A constant or class imported by name fails the build:
 * take it from the default export where it is used.
 */
const ON_FIRST_USE = new Set(['node:tls', 'node:https', 'node:readline']);

function onFirstUse(path, mod) {
  const functions = Object.keys(mod).filter((k) => /^[a-z_$][\w$]*$/.test(k) && typeof Object.getOwnPropertyDescriptor(mod, k).value === 'function');
  return [
    `const m = () => process.getBuiltinModule(${JSON.stringify(path)});`,
    'export default new Proxy({}, { get: (_, k) => m()[k] });',
    ...functions.map((k) => `export function ${k}(...a) { return m().${k}(...a); }`),
  ].join('\n');
}

/**
 * Node's built-in modules without their ES module facades. Importing a built-in as an ES module
 * reads every export once, so lazy getters run at start (`tls.rootCertificates` makes ~140 PEM
 * strings, `crypto.webcrypto` loads WebCrypto, then `dns.promises`, `fs` streams...): 1.7-2 MB
 * resident in a bare node importing the server's built-ins, 0.5 MB in the server (it needs some of
 * them later anyway). Each built-in becomes a small module that takes it from `process.getBuiltinModule`
 * and exports its plain values; a getter is not exported, so importing one by name fails the build
 * (read it from the default export where it is used).
 */
const builtinsWithoutFacades = {
  name: 'builtins-without-facades',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (a) => {
      const mod = process.getBuiltinModule(a.path);
      if (ON_FIRST_USE.has(a.path)) return { contents: onFirstUse(a.path, mod), loader: 'js' };
      const names = Object.keys(mod).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default' && 'value' in Object.getOwnPropertyDescriptor(mod, k));
      const lines = [`const m = process.getBuiltinModule(${JSON.stringify(a.path)});`, 'export default m;'];
      lines.push(...names.map((k) => `export const ${k} = m.${k};`));
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

/** Builds the bundle into `outDir`; resolves with esbuild's metafile (what went in). */
export async function bundleServer(outDir = `${root}/dist/bundle`) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/server-main.ts'],
    outfile: `${outDir}/server.cjs`,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    define: { 'import.meta.url': '__cupaasModuleUrl' },
    banner: { js: '"use strict";const __cupaasModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    target: 'node20',
    minify: true,
    // Stack traces: run with `node --enable-source-maps` to read them against the sources.
    sourcemap: 'linked',
    // A native addon; packages loaded on first use are `require`d by name at run time and stay out too.
    external: ['better-sqlite3'],
    plugins: [withoutZodLocales, builtinsWithoutFacades],
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleServer(process.argv[2]);
