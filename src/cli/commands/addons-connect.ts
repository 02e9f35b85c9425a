import { spawn } from 'node:child_process';
import { defineCommand } from '../command.js';
import { addonPath, requireAddon } from '../addon-args.js';
import { CliError } from '../errors.js';

interface AddonCredentials {
  service: string;
  url: string;
  host: string;
  port: number | null;
  user: string;
  password: string;
  database: string;
}

/** The client for each kind, with the password in its environment so other users cannot see it in `ps`. */
const CLIENTS: Record<string, (c: AddonCredentials) => { argv: string[]; env: Record<string, string>; install: string }> = {
  postgres: (c) => ({
    argv: ['psql', '-h', c.host, '-p', String(c.port ?? 5432), '-U', c.user, '-d', c.database],
    env: { PGPASSWORD: c.password },
    install: 'apt-get install postgresql-client',
  }),
  redis: (c) => ({
    argv: ['redis-cli', '-h', c.host, '-p', String(c.port ?? 6379), ...(c.user ? ['--user', c.user] : [])],
    env: { REDISCLI_AUTH: c.password },
    install: 'apt-get install redis-tools',
  }),
  mysql: (c) => ({
    argv: ['mysql', '--protocol=TCP', '-h', c.host, '-P', String(c.port ?? 3306), '-u', c.user, c.database],
    env: { MYSQL_PWD: c.password },
    install: 'apt-get install mariadb-client',
  }),
};

export default defineCommand({
  name: 'addons:connect',
  aliases: ['addons:psql', 'psql', 'pg:psql', 'redis:cli'],
  summary: 'open the add-on\'s client (psql, redis-cli, mysql) with its credentials',
  args: 'ADDON',
  app: true,
  async run({ api, app, args, config }) {
    const name = await app();
    const addon = requireAddon(args, 'addons:connect');
    const c = await api.request<AddonCredentials>('GET', addonPath(name, addon, '/credentials'));
    const client = CLIENTS[c.service]?.(c);
    if (!client) throw new CliError(`cupaas has no client for ${c.service} add-ons.`, 'Use the URL from `cupaas config` with your own client.');
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(client.argv[0] as string, client.argv.slice(1), { stdio: 'inherit', env: { ...config.env, ...client.env } });
      child.on('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'ENOENT' ? new CliError(`${client.argv[0]} is not installed.`, `Install it, e.g. \`${client.install}\`.`) : e));
      child.on('exit', (c2) => resolve(c2 ?? 1));
    });
    if (code !== 0) throw new CliError(`${client.argv[0]} exited with code ${code}.`, undefined, code);
  },
});
