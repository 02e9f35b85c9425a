import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { run } from '../shared/process.js';
import { tempDir } from '../../test/support/temp.js';

/**
 * Packages that only some servers or some requests use, each several MB
 * resident once loaded (issue 17): `cupaas server` must not load them at
 * start. They are loaded on first use through `shared/lazy.ts`.
 */
const ON_FIRST_USE = ['@kubernetes/client-node', 'dockerode', 'prom-client', 'cron-parser', 'yaml', 'tar'];

test('the modules `cupaas server` imports at start leave the on-first-use packages out', async () => {
  const dir = tempDir('cupaas-lazy-packages');
  const seen = join(dir, 'resolved.txt');
  writeFileSync(seen, '');
  // A resolve hook (it runs on the loader's thread) writes down every module the import graph reaches.
  const hook = join(dir, 'hook.mjs');
  writeFileSync(
    hook,
    `import { appendFileSync } from 'node:fs';\n` +
      `export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(seen)}, r.url + '\\n'); return r; }\n`,
  );
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`file://${hook}`)});`;
  const command = new URL('../cli/commands/server.ts', import.meta.url).pathname;
  const r = await run([
    process.execPath, '--import', import.meta.resolve('tsx'), '--import', `data:text/javascript,${encodeURIComponent(register)}`,
    '--input-type=module', '-e', `await import(${JSON.stringify(command)});`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const urls = readFileSync(seen, 'utf8').split('\n');
  assert.ok(urls.some((u) => u.includes('/src/server/platform.ts')), 'the hook saw the server being imported');
  for (const pkg of ON_FIRST_USE) {
    assert.deepEqual(urls.filter((u) => u.includes(`/node_modules/${pkg}/`)), [], `${pkg} is imported at start`);
  }
});

/** esbuild's account of a bundle: every input file, and what the output still imports. */
interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { imports: Array<{ path: string; external?: boolean }>; inputs?: Record<string, { bytesInOutput: number }> }>;
}

test('the bundle `cupaas server` runs holds none of the on-first-use packages, nor zod\'s translations, nor the client schemas', async () => {
  const dir = tempDir('cupaas-bundle');
  const script = new URL('../../scripts/bundle-server.mjs', import.meta.url).href;
  const { bundleServer } = (await import(script)) as { bundleServer(outDir: string): Promise<Metafile> };
  const meta = await bundleServer(dir);
  const inputs = Object.keys(meta.inputs);
  assert.ok(inputs.some((f) => f.endsWith('src/server/platform.ts')), 'the platform is in the bundle');
  for (const pkg of ON_FIRST_USE) {
    assert.deepEqual(inputs.filter((f) => f.includes(`node_modules/${pkg}/`)), [], `${pkg} is bundled`);
  }
  assert.deepEqual(inputs.filter((f) => /node_modules\/zod\/.*locales\/(?!en\.js)/.test(f)), [], 'zod translations are bundled');
  assert.deepEqual(inputs.filter((f) => f.endsWith('src/domain/api-schema.ts')), [], 'the response schemas only clients parse are bundled');
  // `import * as z from 'zod'` lets esbuild keep only what is used; `import { z }` takes all of zod (+90 KB, ~1 MB of heap).
  const kept = Object.values(meta.outputs).flatMap((o) => Object.entries(o.inputs ?? {}).filter(([, v]) => v.bytesInOutput > 0).map(([f]) => f));
  assert.ok(kept.some((f) => f.includes('node_modules/zod/v4/core/')), 'zod is in the bundle');
  assert.deepEqual(kept.filter((f) => f.includes('node_modules/zod/v4/classic/from-json-schema')), [], 'all of zod is bundled');
  // Outside the bundle: the native SQLite addon, and nothing else. Node's own modules are taken
  // from process.getBuiltinModule, not imported through their ES module facades.
  const external = Object.values(meta.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  assert.deepEqual([...new Set(external)], ['better-sqlite3']);
  assert.ok(inputs.includes('builtin:node:tls'), 'node:tls went through the plugin');
});

/** `z.…(…)` calls a module makes when it is loaded (outside any function), other than `z.lazy`. */
function eagerSchemas(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node) && /^z\s*\.(?!lazy$)\w+$/.test(node.expression.getText(source))) {
      found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test("the server's zod schemas are built when first used, not when their module loads", () => {
  // A zod schema is an object with some forty closures of its own (~1 KB); the server defines ~500,
  // most for requests or manifests an idle server never sees (issue 17). `z.lazy(() => …)` builds
  // one wrapper at load and the rest at the first parse. The clients' response schemas and the CLI
  // are not in the server.
  const root = new URL('../', import.meta.url).pathname;
  const files = (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('cli/') && f !== 'domain/api-schema.ts')
    .map((f) => join(root, f))
    .filter((f) => readFileSync(f, 'utf8').includes("from 'zod'"));
  assert.ok(files.length > 20, 'the scan found the modules that use zod');
  assert.deepEqual(files.flatMap(eagerSchemas), []);
});
