import { startPlatform } from './test/support/platform.js';
import { seedFixtureRelease } from './test/support/runtime-fixtures.js';
import { waitFor } from './src/shared/wait.js';
const p = await startPlatform({ env: { CUPAAS_BOOT_TIMEOUT: '10' } });
const app = 'fmt-app';
try {
  await p.api('POST', '/apps', { name: app });
  await seedFixtureRelease(p.home, app);
  const dynos = async () => (await p.api('GET', `/apps/${app}/dynos`)).body as Array<Record<string, any>>;
  await waitFor(async () => (await dynos()).some((d) => d.state === 'up'), { timeoutMs: 20000 });
  const t0 = Date.now();
  await p.api('PATCH', `/apps/${app}/formation`, { updates: [{ type: 'web', quantity: '+1' }] });
  await p.api('PATCH', `/apps/${app}/formation/web`, { quantity: 1, dyno_size: { name: 'standard-2x' } });
  let last = '';
  while (Date.now() - t0 < 40000) {
    const s = (await dynos()).map((d) => `${d.name}:${d.state}:${d.size}:${d.id.slice(0, 4)}`).join(' ');
    if (s !== last) { console.log(Date.now() - t0, s); last = s; }
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log((await p.api('GET', `/apps/${app}/dynos`)).body);
} finally { await p.cleanup(); }
