/**
 * Minimal clients for add-on tests: store and read one value through the real
 * client program of each kind, with the credentials of a URL (password in env).
 */
import { run } from '../../src/shared/process.js';

export interface KvClient {
  put(url: string, key: string, value: string): Promise<void>;
  /** The value, or null when absent; rejects when the connection or query fails. */
  get(url: string, key: string): Promise<string | null>;
  del(url: string, key: string): Promise<void>;
}

const parts = (url: string) => {
  const u = new URL(url);
  return {
    host: u.hostname, port: u.port, user: decodeURIComponent(u.username), password: decodeURIComponent(u.password),
    db: u.pathname.slice(1),
  };
};

const checked = async (argv: string[], env: Record<string, string>, input = ''): Promise<string> => {
  const r = await run(argv, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, input });
  if (r.code !== 0 || /^(ERR|WRONGPASS|NOAUTH|NOPERM)/m.test(r.stdout)) throw new Error(`${argv[0]}: ${r.stderr}${r.stdout}`);
  return r.stdout.trim();
};
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

const psql = (url: string, sql: string) => {
  const c = parts(url);
  return checked(['psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', c.host, '-p', c.port, '-U', c.user, '-d', c.db], {
    PGPASSWORD: c.password, PGCONNECT_TIMEOUT: '5',
  }, sql);
};
const mysql = (url: string, sql: string) => {
  const c = parts(url);
  return checked(['mysql', '--no-defaults', '--protocol=TCP', '-N', '-B', '-h', c.host, '-P', c.port, '-u', c.user, c.db], {
    MYSQL_PWD: c.password,
  }, sql);
};
const redis = (url: string, ...args: string[]) => {
  const c = parts(url);
  return checked(['redis-cli', '--no-auth-warning', '-h', c.host, '-p', c.port, ...args], { REDISCLI_AUTH: c.password });
};
const mongosh = (url: string, script: string) =>
  checked(['mongosh', '--quiet', '--norc', '--nodb'], {}, `db = connect(${JSON.stringify(url)});\n${script}`);

export const KV_CLIENTS: Readonly<Record<string, KvClient>> = {
  postgres: {
    put: async (url, k, v) => void (await psql(url,
      `CREATE TABLE IF NOT EXISTS kv (k text PRIMARY KEY, v text);\nINSERT INTO kv VALUES (${q(k)}, ${q(v)}) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v;`)),
    get: async (url, k) => (await psql(url, `CREATE TABLE IF NOT EXISTS kv (k text PRIMARY KEY, v text);\nSELECT v FROM kv WHERE k = ${q(k)};`)) || null,
    del: async (url, k) => void (await psql(url, `DELETE FROM kv WHERE k = ${q(k)};`)),
  },
  mysql: {
    put: async (url, k, v) => void (await mysql(url,
      `CREATE TABLE IF NOT EXISTS kv (k varchar(190) PRIMARY KEY, v text);\nREPLACE INTO kv VALUES (${q(k)}, ${q(v)});`)),
    get: async (url, k) => (await mysql(url, `CREATE TABLE IF NOT EXISTS kv (k varchar(190) PRIMARY KEY, v text);\nSELECT v FROM kv WHERE k = ${q(k)};`)) || null,
    del: async (url, k) => void (await mysql(url, `DELETE FROM kv WHERE k = ${q(k)};`)),
  },
  redis: {
    put: async (url, k, v) => void (await redis(url, 'SET', k, v)),
    get: async (url, k) => (await redis(url, 'GET', k)) || null,
    del: async (url, k) => void (await redis(url, 'DEL', k)),
  },
  mongodb: {
    put: async (url, k, v) => void (await mongosh(url, `db.kv.updateOne({_id: ${JSON.stringify(k)}}, {$set: {v: ${JSON.stringify(v)}}}, {upsert: true});`)),
    get: async (url, k) => (await mongosh(url, `const d = db.kv.findOne({_id: ${JSON.stringify(k)}}); print(d ? d.v : '');`)) || null,
    del: async (url, k) => void (await mongosh(url, `db.kv.deleteOne({_id: ${JSON.stringify(k)}});`)),
  },
};

/** `a`'s user and password pointed at `b`'s server and database: must be refused. */
export function crossUrl(a: string, b: string): string {
  const ua = new URL(a);
  const ub = new URL(b);
  ub.username = ua.username;
  ub.password = ua.password;
  return ub.toString();
}
