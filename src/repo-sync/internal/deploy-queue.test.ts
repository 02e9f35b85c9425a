import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDeployQueue, type DeployJob } from './deploy-queue.js';

/** A queue whose builds finish only when the test says so. */
function harness() {
  const started: string[] = [];
  const finish = new Map<string, (fail?: boolean) => void>();
  const queue = createDeployQueue(
    (appId, job: DeployJob) =>
      new Promise<void>((resolve, reject) => {
        started.push(`${appId}:${job.sha}:${job.trigger}`);
        finish.set(job.sha, (fail) => (fail ? reject(new Error('build failed')) : resolve()));
      }),
  );
  const done = async (sha: string, fail = false) => {
    finish.get(sha)?.(fail);
    await new Promise((r) => setImmediate(r));
  };
  return { queue, started, done };
}

const job = (sha: string, trigger: DeployJob['trigger'] = 'poll', force = false): DeployJob => ({
  sha, trigger, userId: null, force,
});

describe('deploy queue', () => {
  it('builds the newest of several commits that land during a build, once', async () => {
    const { queue, started, done } = harness();
    assert.equal(queue.offer('a', job('s1')), 'started');
    assert.equal(queue.offer('a', job('s2')), 'queued');
    assert.equal(queue.offer('a', job('s3', 'webhook')), 'queued');
    assert.deepEqual(queue.status('a'), { building: 's1', next: 's3' });
    await done('s1');
    assert.deepEqual(started, ['a:s1:poll', 'a:s3:webhook']);
    await done('s3');
    assert.deepEqual(queue.status('a'), { building: null, next: null });
  });

  it('never deploys the same sha twice from webhook and poll together', async () => {
    const { queue, started, done } = harness();
    assert.equal(queue.offer('a', job('s1', 'webhook')), 'started');
    assert.equal(queue.offer('a', job('s1', 'poll')), 'duplicate');
    await done('s1');
    assert.equal(queue.offer('a', job('s1', 'poll')), 'duplicate');
    assert.deepEqual(started, ['a:s1:webhook']);
  });

  it('skips the sha seeded as last deployed, and deploys a rewritten head', async () => {
    const { queue, started } = harness();
    queue.seed('a', 'old');
    assert.equal(queue.offer('a', job('old')), 'duplicate');
    assert.equal(queue.offer('a', job('rewritten')), 'started');
    assert.deepEqual(started, ['a:rewritten:poll']);
  });

  it('picks up the next commit after a failed build', async () => {
    const { queue, started, done } = harness();
    queue.offer('a', job('bad'));
    await done('bad', true);
    assert.equal(queue.offer('a', job('bad')), 'duplicate');
    assert.equal(queue.offer('a', job('fix')), 'started');
    assert.deepEqual(started, ['a:bad:poll', 'a:fix:poll']);
  });

  it('a manual trigger rebuilds a deployed sha, but not one already building or queued', async () => {
    const { queue, started, done } = harness();
    queue.offer('a', job('s1'));
    assert.equal(queue.offer('a', job('s1', 'manual', true)), 'duplicate');
    await done('s1');
    assert.equal(queue.offer('a', job('s1', 'manual', true)), 'started');
    assert.deepEqual(started, ['a:s1:poll', 'a:s1:manual']);
  });

  it('keeps apps independent and forgets a dropped app', async () => {
    const { queue, started, done } = harness();
    queue.offer('a', job('x1'));
    queue.offer('b', job('y1'));
    queue.offer('a', job('x2'));
    const dropped = queue.drop('a');
    await done('x1');
    await dropped;
    await done('y1');
    assert.deepEqual(started, ['a:x1:poll', 'b:y1:poll']);
    assert.equal(queue.accepted('a'), null);
    await queue.idle();
  });
});
