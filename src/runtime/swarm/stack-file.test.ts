import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { stackFile } from './stack-file.js';

test('an app as a swarm stack: a service per process type, replicas, limits, start-first, env, web on 80', () => {
  const text = stackFile({
    app: 'shop', image: '10.0.0.1:5000/shop:v7', config: { DATABASE_URL: 'postgres://u:p@10.0.0.1/db', 'WEIRD': 'a: "b"', PASSWORD: 'pa$$word$HOME' },
    processes: [
      { type: 'web', command: 'node server.js', quantity: 3, size: 'standard-2x' },
      { type: 'worker', command: 'node worker.js $WORKERS', quantity: 1, size: 'standard-1x' },
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
  assert.deepEqual(web.environment, {
    DATABASE_URL: 'postgres://u:p@10.0.0.1/db', WEIRD: 'a: "b"', PASSWORD: 'pa$$$$word$$HOME', PORT: '5000', DYNO: 'web.{{.Task.Slot}}',
  }, 'a literal $ is doubled, or docker stack deploy would substitute it');
  assert.deepEqual(web.ports, [{ target: 5000, published: 80, protocol: 'tcp', mode: 'ingress' }]);
  assert.deepEqual(web.deploy.update_config, { order: 'start-first', parallelism: 1, failure_action: 'rollback' });
  assert.equal(web.deploy.replicas, 3);
  assert.deepEqual(web.deploy.resources.limits, { memory: '2048M', cpus: '2', pids: 512 });
  assert.equal(worker.ports, undefined);
  assert.equal(worker.command.at(-1), 'node worker.js $$WORKERS');
  assert.equal(worker.deploy.replicas, 1);
});

test('process types with images of their own: a Compose service runs as its image says, with its environment under the config vars', () => {
  const text = stackFile({
    app: 'shop', image: 'r:5000/shop:v4', config: { REDIS_URL: 'redis://h:1/0', SHARED: 'from config' },
    processes: [
      { type: 'web', command: '', quantity: 1, size: 'standard-1x', image: 'r:5000/shop/web:v4', run: { entrypoint: null, command: null, port: 3000, env: { SHARED: 'from compose', MODE: 'web' } } },
      { type: 'worker', command: '', quantity: 2, size: 'standard-1x', image: 'r:5000/shop/worker:v4', run: { entrypoint: ['/init'], command: ['node', 'worker.js'], port: 9000, env: {} } },
      { type: 'clock', command: 'node clock.js', quantity: 1, size: 'standard-1x', image: 'r:5000/shop/clock:v4' },
    ],
  });
  const { web, worker, clock } = (parse(text) as { services: Record<string, any> }).services;
  assert.equal(web.image, 'r:5000/shop/web:v4');
  assert.equal(web.command, undefined);
  assert.equal(web.entrypoint, undefined);
  assert.deepEqual(web.ports, [{ target: 3000, published: 80, protocol: 'tcp', mode: 'ingress' }]);
  assert.deepEqual(web.environment, { SHARED: 'from config', MODE: 'web', REDIS_URL: 'redis://h:1/0', PORT: '3000', DYNO: 'web.{{.Task.Slot}}' });
  assert.deepEqual([worker.entrypoint, worker.command, worker.deploy.replicas], [['/init'], ['node', 'worker.js'], 2]);
  assert.deepEqual([worker.environment.PORT, worker.ports], ['5000', undefined], 'only web has a fixed port of its own');
  assert.equal(clock.image, 'r:5000/shop/clock:v4');
  assert.equal(clock.command.at(-1), 'node clock.js', 'a heroku.yml image runs the Procfile command through the shell');
});
