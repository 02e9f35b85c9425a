import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { stackFile } from './stack-file.js';

test('an app as a swarm stack: a service per process type, replicas, limits, start-first, env, web on 80', () => {
  const text = stackFile({
    app: 'shop', image: '10.0.0.1:5000/shop:v7', config: { DATABASE_URL: 'postgres://u:p@10.0.0.1/db', 'WEIRD': 'a: "b"' },
    processes: [
      { type: 'web', command: 'node server.js', quantity: 3, size: 'standard-2x' },
      { type: 'worker', command: 'node worker.js', quantity: 1, size: 'standard-1x' },
    ],
  });
  assert.match(text, /^# shop as a Docker Swarm stack/);
  const doc = parse(text) as { version: string; services: Record<string, any> };
  assert.equal(doc.version, '3.8');
  assert.deepEqual(Object.keys(doc.services), ['web', 'worker']);
  const { web, worker } = doc.services;
  assert.equal(web.image, '10.0.0.1:5000/shop:v7');
  assert.deepEqual(web.command.slice(0, 2), ['bash', '-c']);
  assert.equal(web.command.at(-1), 'node server.js');
  assert.deepEqual(web.environment, { DATABASE_URL: 'postgres://u:p@10.0.0.1/db', WEIRD: 'a: "b"', PORT: '5000', DYNO: 'web.{{.Task.Slot}}' });
  assert.deepEqual(web.ports, [{ target: 5000, published: 80, protocol: 'tcp', mode: 'ingress' }]);
  assert.deepEqual(web.deploy.update_config, { order: 'start-first', parallelism: 1, failure_action: 'rollback' });
  assert.equal(web.deploy.replicas, 3);
  assert.deepEqual(web.deploy.resources.limits, { memory: '2048M', cpus: '2', pids: 512 });
  assert.equal(worker.ports, undefined);
  assert.equal(worker.command.at(-1), 'node worker.js');
  assert.equal(worker.deploy.replicas, 1);
});
