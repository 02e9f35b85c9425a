/**
 * Endpoints and fields that Heroku's own CLI relies on (checked by hand with
 * the `heroku` npm package against a cupaas server; see the reference §11).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
before(async () => {
  p = await startPlatform();
  await p.api('POST', '/apps', { name: 'compat' });
});
after(() => p.cleanup());

describe('Heroku CLI compatibility', () => {
  it('lists the caller\'s apps at /users/~/apps and refuses other users', async () => {
    const mine = await p.api('GET', '/users/~/apps');
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.map((a: { name: string }) => a.name), ['compat']);
    assert.deepEqual((await p.api('GET', '/users/admin@cupaas.local/apps')).body.length, 1);
    const other = await p.api('GET', '/users/someone@example.com/apps');
    assert.equal(other.status, 403);
    assert.equal(other.body.id, 'forbidden');
  });

  it('names the user of a release by email and answers 404 for pipeline couplings', async () => {
    await p.api('PATCH', '/apps/compat/config-vars', { A: '1' });
    const [newest] = (await p.api('GET', '/apps/compat/releases', undefined, { Range: 'version ..; max=1, order=desc' })).body;
    assert.equal(newest.user.email, 'admin@cupaas.local');
    assert.equal((await p.api('GET', '/apps/compat/pipeline-couplings')).status, 404);
  });

  it('lists add-on attachments and resolves add-ons by attachment name', async () => {
    const created = await p.api('POST', '/apps/compat/addons', {
      plan: 'external', attachment: { name: 'MAILER' }, config: { url: 'smtp://u:p@mail.example.com:587' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.billed_price, { cents: 0, contract: false, unit: 'month' });
    const id = created.body.id as string;

    const all = await p.api('GET', '/addon-attachments');
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.map((a: { name: string; addon: { id: string }; app: { name: string } }) => [a.name, a.addon.id, a.app.name]), [
      ['MAILER', id, 'compat'],
    ]);
    assert.equal((await p.api('GET', '/apps/compat/addon-attachments')).body.length, 1);

    const resolved = await p.api('POST', '/actions/addons/resolve', { app: 'compat', addon: 'MAILER' });
    assert.equal(resolved.status, 200);
    assert.equal(resolved.body[0].id, id);
    const attachment = await p.api('POST', '/actions/addon-attachments/resolve', { app: 'compat', addon_attachment: 'MAILER' });
    assert.equal(attachment.body[0].name, 'MAILER');
    assert.equal((await p.api('POST', '/actions/addons/resolve', { app: 'compat', addon: 'nope' })).status, 404);

    assert.equal((await p.api('GET', `/addons/${id}`)).body.name, created.body.name);
    assert.equal((await p.api('GET', `/addons/${id}/addon-attachments`)).body[0].app.name, 'compat');
    assert.equal((await p.api('GET', '/addons/no-such-addon')).status, 404);
  });
});
