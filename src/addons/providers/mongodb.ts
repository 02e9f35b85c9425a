import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_ALIASES } from '../../domain/index.js';
import { run, runChecked } from '../../shared/process.js';
import { LOOPBACK as HOST } from '../internal/addresses.js';
import { credentialsFromUrl, withPassword } from '../internal/credentials.js';
import type { ServerProviderDeps } from '../internal/deps.js';
import { findProgram } from '../internal/find-program.js';
import { fileSecret, newPassword, resourceName } from '../internal/secrets.js';
import { ownedDir } from '../internal/service-user.js';
import type { ServerSpec } from '../internal/supervisor.js';
import type { AddonProvider } from '../provider.js';

const ADMIN = 'cupaas';

export const MONGODB_MISSING =
  'MongoDB is not installed on this host: `mongod` and `mongosh` must both be on PATH. Debian 12 does not package ' +
  'MongoDB; install MongoDB Community Server from MongoDB\'s apt repository (packages `mongodb-org-server` and ' +
  '`mongodb-mongosh`, plus `mongodb-database-tools` for backups; see https://www.mongodb.com/docs/manual/tutorial/install-mongodb-on-debian/), then retry.';

/**
 * MongoDB, where `mongod` is installed: one server with authorization on;
 * each add-on is a database with a user whose only role is `dbOwner` on it.
 */
export function createMongodbProvider(deps: ServerProviderDeps): AddonProvider {
  const dir = join(deps.servicesDir, 'mongodb');
  const dataDir = join(dir, 'data');
  const adminPassword = () => fileSecret(join(dir, 'admin-password'));
  const tool = (name: string) => findProgram(name, deps.path) ?? name;

  /** Runs a mongosh script on stdin that first connects to `url`, so no password is in argv. */
  const shell = (url: string, script: string) =>
    runChecked([tool('mongosh'), '--quiet', '--norc', '--nodb'], {
      input: `db = connect(${JSON.stringify(url)});\n${script}`,
      env: { ...deps.env },
    });

  const spec: ServerSpec = {
    key: 'mongodb',
    dir,
    stopSignal: 'SIGTERM',
    async init() {
      await deps.reach(dir);
      ownedDir(dataDir, deps.user);
    },
    argv: (port) => [tool('mongod'), '--dbpath', dataDir, '--port', String(port), '--bind_ip', deps.addresses.listen.join(','), '--auth'],
    async ready(port) {
      const ping = await run([tool('mongosh'), '--quiet', '--norc', `mongodb://${HOST}:${port}/admin`, '--eval', '1'], {
        env: { ...deps.env },
      });
      if (ping.code !== 0) return false;
      // First start: the localhost exception lets us create the admin user once.
      const marker = join(dir, 'admin-created');
      if (!existsSync(marker)) {
        await shell(`mongodb://${HOST}:${port}/admin`,
          `db.createUser({user: ${JSON.stringify(ADMIN)}, pwd: ${JSON.stringify(adminPassword())}, roles: ['root']});\n`);
        writeFileSync(marker, '');
      }
      return true;
    },
  };
  const admin = async (script: string) => {
    const port = await deps.supervisor.ensure(spec);
    return shell(`mongodb://${ADMIN}:${adminPassword()}@${HOST}:${port}/admin`, script);
  };

  return {
    service: {
      name: 'mongodb',
      humanName: 'MongoDB',
      description: 'A MongoDB database of its own, with its own user, on the platform\'s mongod (when installed).',
      aliases: SERVICE_ALIASES.mongodb,
      plans: ['dev'],
      attachmentNames: ['MONGODB'],
      varSuffix: '_URI',
      backupExtension: '.archive.gz',
      external: false,
    },
    unavailable: async () => (findProgram('mongod', deps.path) && findProgram('mongosh', deps.path) ? null : MONGODB_MISSING),
    async provision({ addonId }) {
      const name = resourceName(addonId);
      const password = newPassword();
      await admin(`db.getSiblingDB(${JSON.stringify(name)}).createUser({user: ${JSON.stringify(name)}, ` +
        `pwd: ${JSON.stringify(password)}, roles: [{role: 'dbOwner', db: ${JSON.stringify(name)}}]});\n`);
      const port = await deps.supervisor.ensure(spec);
      return { providerId: name, url: `mongodb://${name}:${password}@${deps.addresses.urlHost}:${port}/${name}?authSource=${name}` };
    },
    async deprovision(r) {
      await admin(`const d = db.getSiblingDB(${JSON.stringify(r.providerId)}); d.dropUser(${JSON.stringify(r.providerId)}); d.dropDatabase();\n`);
    },
    credentials: (r) => credentialsFromUrl(r.url),
    async status(r) {
      try {
        await deps.supervisor.ensure(spec);
        await shell(r.url, 'db.runCommand({ping: 1});\n');
        return { ok: true, detail: 'available' };
      } catch (e) {
        return { ok: false, detail: (e as Error).message };
      }
    },
    async backup(r, file) {
      await runChecked([tool('mongodump'), `--archive=${file}`, '--gzip', `--config=/dev/stdin`], {
        input: `uri: ${r.url}\n`, env: { ...deps.env },
      });
    },
    async restore(r, file) {
      await runChecked([tool('mongorestore'), `--archive=${file}`, '--gzip', '--drop', `--config=/dev/stdin`], {
        input: `uri: ${r.url}\n`, env: { ...deps.env },
      });
    },
    async rotate(r) {
      const password = newPassword();
      await admin(`db.getSiblingDB(${JSON.stringify(r.providerId)}).changeUserPassword(${JSON.stringify(r.providerId)}, ${JSON.stringify(password)});\n`);
      return { providerId: r.providerId, url: withPassword(r.url, password) };
    },
    async resume(rs) {
      if (rs.length) await deps.supervisor.ensure(spec);
    },
  };
}
