/**
 * Add-ons from the CLI, as a user works with them: create, list, info,
 * backup/restore/download, rotate, destroy; data survives a platform crash
 * (kill -9) and restart; destroying the app deprovisions its add-ons.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KV_CLIENTS } from '../support/addon-clients.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';

const pg = KV_CLIENTS.postgres!;
const redis = KV_CLIENTS.redis!;
let p: TestPlatform;
let work: string;
before(async () => {
  p = await startPlatform();
  work = mkdtempSync(join(tmpdir(), 'cupaas-addons-cli-'));
});
after(async () => {
  await p.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const ok = async (...args: string[]) => {
  const r = await p.cli(args, { cwd: work });
  assert.equal(r.code, 0, `cupaas ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};
const fails = async (...args: string[]) => {
  const r = await p.cli(args, { cwd: work });
  assert.notEqual(r.code, 0, `cupaas ${args.join(' ')} should fail:\n${r.stdout}`);
  return r.stderr;
};
const configOf = async (app: string): Promise<Record<string, string>> => JSON.parse(await ok('config', '-a', app, '--json'));

describe('add-ons from the CLI', () => {
  let db: string;
  it('creates postgres and redis add-ons and lists them (text and --json)', async () => {
    await ok('apps:create', 'shop');
    const created = await ok('addons:create', 'postgres', '-a', 'shop');
    assert.match(created, /Created (postgres-\S+) as DATABASE_URL/);
    db = /Created (\S+) as/.exec(created)![1]!;
    assert.match(await ok('addons:create', 'redis', '--as', 'CACHE', '-a', 'shop'), /as CACHE_URL/);
    assert.match(await fails('addons:create', 'nosuchdb', '-a', 'shop'), /Supported services/);
    const list = JSON.parse(await ok('addons', '-a', 'shop', '--json')) as { name: string }[];
    assert.equal(list.length, 2);
    assert.match(await ok('addons', '-a', 'shop'), new RegExp(`${db}\\s+postgres:dev\\s+DATABASE_URL`));
    assert.match(await ok('addons:info', db, '-a', 'shop'), /Status:\s+available/);
    assert.match(await ok('addons:services'), /postgres/);
  });

  it('backs up, restores with --confirm, and downloads a backup', async () => {
    const url = (await configOf('shop')).DATABASE_URL!;
    await pg.put(url, 'order-1', 'paid');
    assert.match(await ok('addons:backup', db, '-a', 'shop'), /done: b001/);
    assert.equal(JSON.parse(await ok('addons:backups', db, '-a', 'shop', '--json')).length, 1);
    await pg.del(url, 'order-1');
    assert.match(await fails('addons:restore', db, 'b001', '-a', 'shop'), /--confirm shop/);
    await ok('addons:restore', db, 'b001', '-a', 'shop', '--confirm', 'shop');
    assert.equal(await pg.get(url, 'order-1'), 'paid');
    const file = join(work, 'shop.dump');
    assert.match(await ok('addons:download', db, '-a', 'shop', '-o', file), /Downloaded b001/);
    assert.equal(readFileSync(file).subarray(0, 5).toString(), 'PGDMP');
  });

  it('rotates credentials: the config var changes and the old password stops working', async () => {
    const old = (await configOf('shop')).DATABASE_URL!;
    assert.match(await ok('addons:credentials:rotate', db, '-a', 'shop'), /done, v\d+/);
    const fresh = (await configOf('shop')).DATABASE_URL!;
    assert.notEqual(fresh, old);
    await assert.rejects(pg.get(old, 'order-1'));
    assert.equal(await pg.get(fresh, 'order-1'), 'paid');
  });

  it('keeps add-on data across a platform crash (kill -9) and restart', async () => {
    const config = await configOf('shop');
    await redis.put(config.CACHE_URL!, 'session', 'abc');
    await p.kill9();
    p = await p.restart();
    assert.equal(await pg.get(config.DATABASE_URL!, 'order-1'), 'paid');
    assert.equal(await redis.get(config.CACHE_URL!, 'session'), 'abc');
    // The redis-server the crashed platform left was replaced, not duplicated.
    const redisDir = join(p.home, 'services', 'redis');
    const serving = readdirSync('/proc').filter((pid) => {
      try {
        return /^\d+$/.test(pid) && readlinkSync(`/proc/${pid}/cwd`).startsWith(redisDir);
      } catch {
        return false;
      }
    });
    assert.equal(serving.length, 1, `redis-server processes under ${redisDir}: ${serving.join(', ')}`);
  });

  it('destroys an add-on only with --confirm, after a final backup', async () => {
    const cache = (JSON.parse(await ok('addons', '-a', 'shop', '--json')) as { name: string; config_vars: string[] }[])
      .find((a) => a.config_vars.includes('CACHE_URL'))!.name;
    assert.match(await fails('addons:destroy', cache, '-a', 'shop'), /--confirm shop/);
    const out = await ok('addons:destroy', cache, '-a', 'shop', '--confirm', 'shop');
    const path = /kept at (\S+)/.exec(out)![1]!;
    assert.ok(existsSync(path));
    assert.equal((await configOf('shop')).CACHE_URL, undefined);
  });

  it('deprovisions an app\'s add-ons when the app is destroyed', async () => {
    const url = (await configOf('shop')).DATABASE_URL!;
    await ok('apps:destroy', 'shop', '--confirm', 'shop');
    await assert.rejects(pg.get(url, 'order-1'));
  });
});
