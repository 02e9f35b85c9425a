import type { Migration } from './migration.js';

/** Accounts, apps, config and releases: the platform core. */
export const initial: Migration = {
  id: 1,
  name: 'initial',
  up: `
    CREATE TABLE users (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      key_hash TEXT NOT NULL UNIQUE,
      description TEXT NOT NULL,
      created_at TEXT NOT NULL,
      last_used_at TEXT
    );
    CREATE TABLE apps (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      owner_id TEXT NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE app_config (
      app_id TEXT PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE,
      sealed BLOB NOT NULL
    );
    CREATE TABLE releases (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
      version INTEGER NOT NULL,
      description TEXT NOT NULL,
      status TEXT NOT NULL,
      slug_id TEXT,
      config_sealed BLOB NOT NULL,
      user_id TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (app_id, version)
    );
  `,
};
