import type { Migration } from './migration.js';

/** Certificates apps serve for their custom domains (Heroku's SNI endpoints); the private key is sealed. */
export const sniEndpoints: Migration = {
  id: 450,
  name: 'sni-endpoints',
  up: `CREATE TABLE sni_endpoints (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
      name TEXT NOT NULL UNIQUE,
      certificate_chain TEXT NOT NULL,
      private_key BLOB NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX sni_endpoints_app ON sni_endpoints (app_id);`,
};
