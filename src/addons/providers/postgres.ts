import { chownSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_ALIASES } from '../../domain/index.js';
import { run, runChecked } from '../../shared/process.js';
import { LOOPBACK as HOST, type ServiceAddresses } from '../internal/addresses.js';
import { credentialsFromUrl, withPassword } from '../internal/credentials.js';
import type { ServerProviderDeps } from '../internal/deps.js';
import { findProgram, missingPrograms, postgresBinDirs } from '../internal/find-program.js';
import { fileSecret, newPassword, resourceName, sqlString } from '../internal/secrets.js';
import { ownedDir, runAsUser } from '../internal/service-user.js';
import type { ServerSpec } from '../internal/supervisor.js';
import type { AddonProvider, Resource } from '../provider.js';

const ADMIN = 'cupaas';
const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Who may log in, rewritten at every start so existing servers follow the
 * platform's addresses: password (SCRAM) logins over TCP from loopback and
 * from the dynos' network only. Unix sockets are off.
 */
const hbaText = (a: Pick<ServiceAddresses, 'clients'>): string =>
  ['# Written by cupaas at every start of the server: edits are lost.',
    ...['127.0.0.1/32', '::1/128', ...a.clients].map((net) => `host all all ${net} scram-sha-256`)].join('\n') + '\n';

/**
 * PostgreSQL: one server for all add-ons; each add-on is a database owned by
 * its own login role, and no other role may connect to it.
 */
export function createPostgresProvider(deps: ServerProviderDeps): AddonProvider {
  const dir = join(deps.servicesDir, 'postgres');
  const dataDir = join(dir, 'data');
  const find = (name: string) => findProgram(name, deps.path, postgresBinDirs());
  // Server and client programs of the same (newest) version: pg_dump must not be older than the server.
  const bin = (name: string): string => find(name) ?? name;
  const adminPassword = () => fileSecret(join(dir, 'admin-password'));

  /** Creates the data directory and the platform's admin role (first start only). */
  const initdb = async (): Promise<void> => {
    ownedDir(dataDir, deps.user);
    const pwFile = join(dir, 'initdb-password');
    writeFileSync(pwFile, adminPassword() + '\n', { mode: 0o600 });
    try {
      if (deps.user) chownSync(pwFile, deps.user.uid, deps.user.gid);
      await runAsUser(deps.user, [
        bin('initdb'), '-D', dataDir, '-U', ADMIN, `--pwfile=${pwFile}`, '-E', 'UTF8', '--locale=C.UTF-8',
        '--auth-host=scram-sha-256', '--auth-local=scram-sha-256', '--no-instructions',
      ], deps.env);
    } finally {
      rmSync(pwFile, { force: true });
    }
  };

  const spec: ServerSpec = {
    key: 'postgres',
    dir,
    stopSignal: 'SIGINT', // "fast" shutdown: SIGTERM would wait for every client to disconnect
    async init() {
      await deps.reach(dir);
      if (!existsSync(join(dataDir, 'PG_VERSION'))) await initdb();
      const hba = join(dataDir, 'pg_hba.conf');
      writeFileSync(hba, hbaText(deps.addresses), { mode: 0o600 });
      if (deps.user) chownSync(hba, deps.user.uid, deps.user.gid);
    },
    argv: (port) => [
      bin('postgres'), '-D', dataDir, '-p', String(port),
      '-c', `listen_addresses=${deps.addresses.listen.join(',')}`, '-c', 'unix_socket_directories=',
      '-c', 'password_encryption=scram-sha-256',
    ],
    ready: async (port) => (await run([bin('pg_isready'), '-q', '-h', HOST, '-p', String(port)], { env: { ...deps.env } })).code === 0,
  };

  const psqlAs = (port: number, user: string, password: string, db: string) => (sql: string) =>
    runChecked([bin('psql'), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', HOST, '-p', String(port), '-U', user, '-d', db], {
      input: sql,
      env: { ...deps.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '10' },
    });
  const admin = async (sql: string) => psqlAs(await deps.supervisor.ensure(spec), ADMIN, adminPassword(), 'postgres')(sql);
  const clientEnv = (r: Resource) => ({ ...deps.env, PGPASSWORD: credentialsFromUrl(r.url).password });
  const connArgs = (r: Resource) => {
    const c = credentialsFromUrl(r.url);
    return ['-h', c.host, '-p', String(c.port), '-U', c.user, '-d', c.database];
  };

  return {
    service: {
      name: 'postgres',
      humanName: 'PostgreSQL',
      description: 'A PostgreSQL database of its own, with its own role, on the platform\'s PostgreSQL server.',
      aliases: SERVICE_ALIASES.postgres,
      plans: ['dev'],
      attachmentNames: ['DATABASE', 'POSTGRES'],
      varSuffix: '_URL',
      backupExtension: '.dump',
      external: false,
    },
    unavailable: async () =>
      missingPrograms('PostgreSQL', ['initdb', 'postgres', 'psql', 'pg_dump'], find, 'apt-get install postgresql'),
    async provision({ addonId }) {
      const name = resourceName(addonId);
      const password = newPassword();
      await admin(
        `CREATE ROLE ${ident(name)} LOGIN PASSWORD ${sqlString(password)};\n` +
          `CREATE DATABASE ${ident(name)} OWNER ${ident(name)};\n` +
          `REVOKE ALL ON DATABASE ${ident(name)} FROM PUBLIC;\n`,
      );
      const port = await deps.supervisor.ensure(spec);
      return { providerId: name, url: `postgres://${name}:${password}@${deps.addresses.urlHost}:${port}/${name}` };
    },
    async deprovision(r) {
      await admin(`DROP DATABASE IF EXISTS ${ident(r.providerId)} WITH (FORCE);\nDROP ROLE IF EXISTS ${ident(r.providerId)};\n`);
    },
    credentials: (r) => credentialsFromUrl(r.url),
    async status(r) {
      await deps.supervisor.ensure(spec);
      const c = credentialsFromUrl(r.url);
      const res = await run([bin('psql'), '-X', '-q', '-t', '-c', 'SELECT 1', ...connArgs(r)], { env: clientEnv(r) });
      return res.code === 0 ? { ok: true, detail: 'available' } : { ok: false, detail: `${c.database}: ${res.stderr.trim()}` };
    },
    async backup(r, file) {
      await deps.supervisor.ensure(spec);
      await runChecked([bin('pg_dump'), '--format=custom', '--no-owner', '--no-acl', `--file=${file}`, ...connArgs(r)], {
        env: clientEnv(r),
      });
    },
    async restore(r, file) {
      await deps.supervisor.ensure(spec);
      await runChecked(
        [bin('pg_restore'), '--clean', '--if-exists', '--no-owner', '--no-acl', '--single-transaction', ...connArgs(r), file],
        { env: clientEnv(r) },
      );
    },
    async rotate(r) {
      const password = newPassword();
      await admin(`ALTER ROLE ${ident(r.providerId)} PASSWORD ${sqlString(password)};\n`);
      return { providerId: r.providerId, url: withPassword(r.url, password) };
    },
    async resume(rs) {
      if (rs.length) await deps.supervisor.ensure(spec);
    },
  };
}

