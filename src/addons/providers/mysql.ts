import { chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_ALIASES } from '../../domain/index.js';
import { run, runChecked } from '../../shared/process.js';
import { LOOPBACK as HOST } from '../internal/addresses.js';
import { credentialsFromUrl, withPassword } from '../internal/credentials.js';
import type { ServerProviderDeps } from '../internal/deps.js';
import { findProgram, missingPrograms } from '../internal/find-program.js';
import { fileSecret, newPassword, resourceName, sqlString } from '../internal/secrets.js';
import { ownedDir } from '../internal/service-user.js';
import type { ServerSpec } from '../internal/supervisor.js';
import type { AddonProvider, Resource } from '../provider.js';

const ADMIN = 'cupaas';
const ident = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/**
 * MySQL, served by MariaDB: one server for all add-ons; each add-on is a
 * database and a user with privileges on that database only.
 */
export function createMysqlProvider(deps: ServerProviderDeps): AddonProvider {
  const dir = join(deps.servicesDir, 'mysql');
  const dataDir = join(dir, 'data');
  const runDir = join(dir, 'run');
  const server = () => findProgram('mariadbd', deps.path, ['/usr/sbin']) ?? findProgram('mysqld', deps.path, ['/usr/sbin']);
  const adminPassword = () => fileSecret(join(dir, 'admin-password'));

  const spec: ServerSpec = {
    key: 'mysql',
    dir,
    stopSignal: 'SIGTERM',
    async init() {
      await deps.reach(dir);
      ownedDir(runDir, deps.user);
      // Run at every start, so the platform's admin account always exists with the password it knows.
      const initFile = join(dir, 'admin.sql');
      const pw = sqlString(adminPassword());
      writeFileSync(initFile, `CREATE USER IF NOT EXISTS '${ADMIN}'@'${HOST}' IDENTIFIED BY ${pw};\n` +
        `ALTER USER '${ADMIN}'@'${HOST}' IDENTIFIED BY ${pw};\n` +
        `GRANT ALL PRIVILEGES ON *.* TO '${ADMIN}'@'${HOST}' WITH GRANT OPTION;\n`, { mode: 0o600 });
      if (deps.user) chownSync(initFile, deps.user.uid, deps.user.gid);
      if (existsSync(join(dataDir, 'mysql'))) return;
      ownedDir(dataDir, deps.user);
      await runChecked([
        findProgram('mariadb-install-db', deps.path, ['/usr/bin']) ?? 'mariadb-install-db', '--no-defaults',
        `--datadir=${dataDir}`, '--skip-test-db', '--skip-name-resolve', '--auth-root-authentication-method=socket',
        ...(deps.user ? [`--user=${deps.user.name}`] : []),
      ], { env: { ...deps.env } });
    },
    argv: (port) => [
      server() ?? 'mariadbd', '--no-defaults', `--datadir=${dataDir}`, `--port=${port}`,
      // MariaDB 10.11 takes a list: loopback and the services address, never a wildcard.
      `--bind-address=${deps.addresses.listen.join(',')}`,
      `--socket=${join(runDir, 'mysqld.sock')}`, `--pid-file=${join(runDir, 'mysqld.pid')}`, '--skip-name-resolve',
      `--init-file=${join(dir, 'admin.sql')}`, '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci',
    ],
    ready: async (port) =>
      (await run(['mysqladmin', '--no-defaults', '--protocol=TCP', '-h', HOST, '-P', String(port), '-u', ADMIN, 'ping'], {
        env: { ...deps.env, MYSQL_PWD: adminPassword() },
      })).code === 0,
  };

  const mysql = (port: number, user: string, password: string, db: string[], opts: { input?: string | Buffer } = {}) =>
    runChecked(['mysql', '--no-defaults', '--protocol=TCP', '-h', HOST, '-P', String(port), '-u', user, ...db], {
      input: opts.input,
      env: { ...deps.env, MYSQL_PWD: password },
    });
  const admin = async (sql: string) => mysql(await deps.supervisor.ensure(spec), ADMIN, adminPassword(), [], { input: sql });
  const asOwner = async (r: Resource, input: string | Buffer) => {
    await deps.supervisor.ensure(spec);
    const c = credentialsFromUrl(r.url);
    return mysql(c.port ?? 3306, c.user, c.password, [c.database], { input });
  };

  return {
    service: {
      name: 'mysql',
      humanName: 'MySQL (MariaDB)',
      description: 'A MySQL-compatible database of its own, with its own user, on the platform\'s MariaDB server.',
      aliases: SERVICE_ALIASES.mysql,
      plans: ['dev'],
      attachmentNames: ['DATABASE', 'MYSQL'],
      varSuffix: '_URL',
      backupExtension: '.sql',
      external: false,
    },
    unavailable: async () =>
      missingPrograms('MariaDB', ['mariadbd', 'mysql', 'mysqldump', 'mysqladmin'],
        (p) => (p === 'mariadbd' ? server() : findProgram(p, deps.path)), 'apt-get install mariadb-server mariadb-client'),
    async provision({ addonId }) {
      const name = resourceName(addonId);
      const password = newPassword();
      await admin(
        `CREATE DATABASE ${ident(name)} CHARACTER SET utf8mb4;\n` +
          `CREATE USER '${name}'@'%' IDENTIFIED BY ${sqlString(password)};\n` +
          `GRANT ALL PRIVILEGES ON ${ident(name)}.* TO '${name}'@'%';\n`,
      );
      const port = await deps.supervisor.ensure(spec);
      return { providerId: name, url: `mysql://${name}:${password}@${deps.addresses.urlHost}:${port}/${name}` };
    },
    async deprovision(r) {
      await admin(`DROP DATABASE IF EXISTS ${ident(r.providerId)};\nDROP USER IF EXISTS '${r.providerId}'@'%';\n`);
    },
    credentials: (r) => credentialsFromUrl(r.url),
    async status(r) {
      try {
        await asOwner(r, 'SELECT 1;\n');
        return { ok: true, detail: 'available' };
      } catch (e) {
        return { ok: false, detail: (e as Error).message };
      }
    },
    async backup(r, file) {
      const port = await deps.supervisor.ensure(spec);
      const c = credentialsFromUrl(r.url);
      await runChecked([
        'mysqldump', '--no-defaults', '--protocol=TCP', '-h', HOST, '-P', String(port), '-u', c.user,
        '--single-transaction', '--no-tablespaces', '--skip-lock-tables', `--result-file=${file}`, c.database,
      ], { env: { ...deps.env, MYSQL_PWD: c.password } });
    },
    async restore(r, file) {
      await asOwner(r, readFileSync(file));
    },
    async rotate(r) {
      const password = newPassword();
      await admin(`ALTER USER '${r.providerId}'@'%' IDENTIFIED BY ${sqlString(password)};\n`);
      return { providerId: r.providerId, url: withPassword(r.url, password) };
    },
    async resume(rs) {
      if (rs.length) await deps.supervisor.ensure(spec);
    },
  };
}
