import { spawn } from 'node:child_process';
import { createNodeDataPlane } from '../src/router/index.js';
import { startRouterFixture } from '../test/support/router-fixtures.js';
import { runChecked } from '../src/shared/process.js';
import { waitFor } from '../src/shared/wait.js';
const child = spawn(process.execPath, ['-e', `const h=require('node:http');const s=h.createServer((q,r)=>r.end('hello from the dyno\\n'));s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = ''; child.stdout!.on('data', (c) => (out += c));
const port = await waitFor(() => Number(out.trim()) || undefined);
const fx = await startRouterFixture(createNodeDataPlane);
const app = fx.addApp('bench');
let n = 0; fx.logs.subscribe(app.id, () => n++);
fx.router.setBackends(app.id, [{ dynoId: 'd1', dynoName: 'web.1', host: '127.0.0.1', port }]);
for (const c of [50, 200]) {
  const cpu = process.cpuUsage();
  const r = await runChecked(['wrk', '-t2', `-c${c}`, '-d5s', '--latency', '-H', 'Host: bench.localhost', `http://127.0.0.1:${fx.port}/`]);
  const u = process.cpuUsage(cpu);
  const reqs = Number(/(\d+) requests in/.exec(r.stdout)?.[1]);
  console.log(c, /Requests\/sec:\s+\S+/.exec(r.stdout)?.[0], /99%\s+\S+/.exec(r.stdout)?.[0], 'cpu us/req', Math.round((u.user + u.system) / reqs));
}
console.log('logged', n);
await fx.cleanup(); child.kill();
