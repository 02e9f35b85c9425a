/**
 * Dashboard weight benchmark (not a test): the JavaScript and CSS the browser
 * downloads for the apps page (raw and gzip), and the time from navigation
 * to the first render of the apps page listing 50 apps, and to every app's
 * state being shown, in Debian's Chromium (median of RUNS page loads, each
 * in a fresh page with a warm session). Prints JSON, then a line against the
 * budget. Run with `npm run bench:dashboard` (after `npm run build`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { REPO_ROOT, startPlatform } from '../test/support/platform.js';

/** The budget: a small client, well under the multi-megabyte bundles of Next.js/Livewire dashboards. */
const BUDGET = { appsPageJsGzipKb: 100, firstRenderMs: 1000 };
const APPS = 50;
const RUNS = 7;
const DIST = join(REPO_ROOT, 'dist/dashboard');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const kb = (n: number) => Math.round((n / 1024) * 10) / 10;

/** Assets the index page loads at once (the metrics chunk loads only with its tab). */
function weight() {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const eager = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1] as string);
  const all = readdirSync(join(DIST, 'assets')).map((f) => `assets/${f}`);
  const sizes = (files: string[], ext: string) => {
    const picked = files.filter((f) => f.endsWith(ext));
    return {
      raw: picked.reduce((a, f) => a + statSync(join(DIST, f)).size, 0),
      gzip: picked.reduce((a, f) => a + gzipSync(readFileSync(join(DIST, f))).length, 0),
    };
  };
  return { appsPageJs: sizes(eager, '.js'), appsPageCss: sizes(eager, '.css'), allJs: sizes(all, '.js') };
}

const p = await startPlatform();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  for (let i = 0; i < APPS; i++) {
    const r = await p.api('POST', '/apps', { name: `bench-app-${String(i).padStart(2, '0')}` });
    if (r.status !== 201) throw new Error(`creating app ${i} failed: ${JSON.stringify(r.body)}`);
  }
  const login = await fetch(`${p.apiUrl}/session`, {
    method: 'POST',
    headers: { Accept: 'application/vnd.heroku+json; version=3', 'Content-Type': 'application/json' },
    body: JSON.stringify({ api_key: p.apiKey }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const [name, value] = cookie.split('=') as [string, string];
  const context = await browser.newContext();
  await context.addCookies([{ name, value, url: p.apiUrl }]);
  const firstRender: number[] = [];
  const allStates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(p.apiUrl, { waitUntil: 'commit' });
    await page.waitForFunction((n) => document.querySelectorAll('.app-row').length === n, APPS, { timeout: 60_000, polling: 'raf' });
    firstRender.push(performance.now() - started);
    await page.waitForFunction(() => document.querySelectorAll('.app-row .badge-loading').length === 0, undefined, { timeout: 60_000, polling: 'raf' });
    allStates.push(performance.now() - started);
    await page.close();
  }
  const w = weight();
  const result = {
    apps: APPS,
    runs: RUNS,
    appsPageJsKb: { raw: kb(w.appsPageJs.raw), gzip: kb(w.appsPageJs.gzip) },
    appsPageCssKb: { raw: kb(w.appsPageCss.raw), gzip: kb(w.appsPageCss.gzip) },
    allJsKb: { raw: kb(w.allJs.raw), gzip: kb(w.allJs.gzip) },
    firstRenderMs: { median: Math.round(median(firstRender)), all: firstRender.map(Math.round) },
    allStatesMs: { median: Math.round(median(allStates)), all: allStates.map(Math.round) },
    budget: BUDGET,
    // Timings on a shared machine mean little without its load.
    host: { cpus: cpus().length, loadAverage1m: Math.round((loadavg()[0] as number) * 10) / 10 },
  };
  console.log(JSON.stringify(result, null, 2));
  const ok = result.appsPageJsKb.gzip <= BUDGET.appsPageJsGzipKb && result.firstRenderMs.median <= BUDGET.firstRenderMs;
  console.log(
    `apps page: ${result.appsPageJsKb.gzip} KB JS gzip (budget ${BUDGET.appsPageJsGzipKb}), first render of ${APPS} apps ` +
      `${result.firstRenderMs.median} ms median (budget ${BUDGET.firstRenderMs}), all states ${result.allStatesMs.median} ms: ${ok ? 'within budget' : 'OVER BUDGET'}`,
  );
  if (!ok) process.exitCode = 1;
} finally {
  await browser.close();
  await p.cleanup();
}
