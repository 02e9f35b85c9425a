import { chownSync, copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_ALIASES } from '../../domain/index.js';
import { run } from '../../shared/process.js';
import { waitFor } from '../../shared/wait.js';
import { LOOPBACK as HOST } from '../internal/addresses.js';
import { credentialsFromUrl, withPassword } from '../internal/credentials.js';
import type { ServerProviderDeps } from '../internal/deps.js';
import { findProgram, missingPrograms } from '../internal/find-program.js';
import { fileSecret, newPassword } from '../internal/secrets.js';
import { ownedDir } from '../internal/service-user.js';
import type { ServerSpec } from '../internal/supervisor.js';
import type { AddonProvider, Resource } from '../provider.js';

const ADMIN = 'cupaas';

/**
 * Redis: one redis-server per add-on. An app gets a whole Redis (any key,
 * FLUSHDB, pub/sub, SELECT) and cannot see another add-on's keys; backups are
 * that instance's RDB snapshot. The app's `default` user may not run admin
 * commands (CONFIG, SHUTDOWN, REPLICAOF...); the platform uses its own user.
 */
export function createRedisProvider(deps: ServerProviderDeps): AddonProvider {
  const root = join(deps.servicesDir, 'redis');
  const dirOf = (id: string) => join(root, id);
  const adminPassword = (id: string) => fileSecret(join(dirOf(id), 'admin-password'));

  const config = (id: string, port: number, appPassword: string, appendonly: boolean) =>
    [
      `bind ${deps.addresses.listen.join(' ')}`, `port ${port}`, 'protected-mode yes', `dir ${join(dirOf(id), 'data')}`, 'dbfilename dump.rdb',
      `appendonly ${appendonly ? 'yes' : 'no'}`, 'appendfsync everysec', 'save 3600 1 300 100 60 10000',
      'daemonize no', 'logfile ""', 'maxclients 1000',
      `user default on >${appPassword} ~* &* +@all -@admin`,
      `user ${ADMIN} on >${adminPassword(id)} ~* &* +@all`,
    ].join('\n') + '\n';

  /** `appendonly: false` only while a restore loads an RDB file (Redis ignores it when an AOF exists). */
  const specFor = (r: Resource, appendonly = true): ServerSpec => {
    const dir = dirOf(r.providerId);
    return {
      key: `redis/${r.providerId}`,
      dir,
      stopSignal: 'SIGTERM',
      async init(port) {
        await deps.reach(root);
        await deps.reach(dir);
        ownedDir(join(dir, 'data'), deps.user);
        const conf = join(dir, 'redis.conf');
        writeFileSync(conf, config(r.providerId, port, credentialsFromUrl(r.url).password, appendonly), { mode: 0o600 });
        if (deps.user) chownSync(conf, deps.user.uid, deps.user.gid);
      },
      argv: () => [findProgram('redis-server', deps.path) ?? 'redis-server', join(dir, 'redis.conf')],
      ready: async (port) => (await cli(r, port, ['PING'])).stdout.trim() === 'PONG',
    };
  };

  const cli = (r: Resource, port: number, args: readonly string[]) =>
    run(['redis-cli', '--no-auth-warning', '--user', ADMIN, '-h', HOST, '-p', String(port), ...args], {
      env: { ...deps.env, REDISCLI_AUTH: adminPassword(r.providerId) },
    });
  const admin = async (r: Resource, args: readonly string[]) => {
    const port = await deps.supervisor.ensure(specFor(r));
    const res = await cli(r, port, args);
    if (res.code !== 0 || /^(ERR|WRONGPASS|NOPERM)/m.test(res.stdout)) throw new Error(`redis ${args[0]}: ${res.stdout}${res.stderr}`);
    return res.stdout;
  };

  return {
    service: {
      name: 'redis',
      humanName: 'Redis',
      description: 'A Redis server of its own (redis-server), persisted with AOF and RDB snapshots.',
      aliases: SERVICE_ALIASES.redis,
      plans: ['dev'],
      attachmentNames: ['REDIS'],
      varSuffix: '_URL',
      backupExtension: '.rdb',
      external: false,
    },
    unavailable: async () =>
      missingPrograms('Redis', ['redis-server', 'redis-cli'], (p) => findProgram(p, deps.path), 'apt-get install redis-server'),
    async provision({ addonId }) {
      const id = addonId.replace(/[^0-9a-f]/gi, '').toLowerCase();
      const draft: Resource = { providerId: id, url: `redis://:${newPassword()}@${deps.addresses.urlHost}:0` };
      const port = await deps.supervisor.ensure(specFor(draft));
      return { providerId: id, url: `redis://:${credentialsFromUrl(draft.url).password}@${deps.addresses.urlHost}:${port}` };
    },
    async deprovision(r) {
      await deps.supervisor.stop(specFor(r).key);
      rmSync(dirOf(r.providerId), { recursive: true, force: true });
    },
    credentials: (r) => credentialsFromUrl(r.url),
    async status(r) {
      const port = await deps.supervisor.ensure(specFor(r));
      const res = await run(['redis-cli', '--no-auth-warning', '-h', HOST, '-p', String(port), 'PING'], {
        env: { ...deps.env, REDISCLI_AUTH: credentialsFromUrl(r.url).password },
      });
      const ok = res.stdout.trim() === 'PONG';
      return { ok, detail: ok ? 'available' : (res.stdout + res.stderr).trim() };
    },
    async backup(r, file) {
      const port = await deps.supervisor.ensure(specFor(r));
      const res = await cli(r, port, ['--rdb', file]);
      if (res.code !== 0 || !existsSync(file)) throw new Error(`redis-cli --rdb failed: ${res.stderr.trim()}`);
    },
    async restore(r, file) {
      const spec = specFor(r);
      await deps.supervisor.stop(spec.key);
      const data = join(spec.dir, 'data');
      rmSync(join(data, 'appendonlydir'), { recursive: true, force: true });
      copyFileSync(file, join(data, 'dump.rdb'));
      if (deps.user) chownSync(join(data, 'dump.rdb'), deps.user.uid, deps.user.gid);
      // Load the snapshot, then let Redis write a fresh AOF from it before going back to the normal config.
      await deps.supervisor.ensure(specFor(r, false));
      await admin(r, ['CONFIG', 'SET', 'appendonly', 'yes']);
      await waitFor(async () => /aof_rewrite_in_progress:0/.test(await admin(r, ['INFO', 'persistence'])) &&
        !/aof_rewrite_scheduled:1/.test(await admin(r, ['INFO', 'persistence'])), { timeoutMs: 60_000, what: 'redis AOF rewrite' });
      await deps.supervisor.stop(spec.key);
      await deps.supervisor.ensure(spec);
    },
    async rotate(r) {
      const password = newPassword();
      await admin(r, ['ACL', 'SETUSER', 'default', 'resetpass', `>${password}`]);
      const next = { providerId: r.providerId, url: withPassword(r.url, password) };
      // redis.conf is written from the URL at each start: write it now, and restart with it if Redis dies.
      const spec = specFor(next);
      await spec.init(credentialsFromUrl(r.url).port ?? 0);
      await deps.supervisor.ensure(spec);
      return next;
    },
    async resume(rs) {
      await Promise.all(rs.map((r) => deps.supervisor.ensure(specFor(r))));
    },
  };
}

