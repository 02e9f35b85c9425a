import type { Migration } from './migration.js';

/** Builds, slugs, formation, domains, add-ons, connected repos and drains. */
export const deployAndRun: Migration = {
  id: 2,
  name: 'deploy-and-run',
  up: `
    ALTER TABLE apps ADD COLUMN deploy_branch TEXT NOT NULL DEFAULT 'main';
    ALTER TABLE apps ADD COLUMN maintenance INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE releases ADD COLUMN status_reason TEXT;
    ALTER TABLE releases ADD COLUMN services TEXT NOT NULL DEFAULT '[]';

    CREATE TABLE slugs (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
      checksum TEXT NOT NULL,
      size INTEGER NOT NULL,
      process_types TEXT NOT NULL,
      commit_sha TEXT,
      commit_description TEXT,
      stack TEXT NOT NULL,
      buildpack_description TEXT,
      created_at TEXT NOT NULL
    );
    CREATE INDEX slugs_app ON slugs(app_id, created_at);

    CREATE TABLE builds (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
      status TEXT NOT NULL,
      trigger TEXT NOT NULL,
      source_url TEXT,
      source_checksum TEXT,
      source_version TEXT,
      commit_message TEXT,
      commit_author TEXT,
      buildpacks TEXT NOT NULL DEFAULT '[]',
      slug_id TEXT,
      release_id TEXT,
      user_id TEXT,
      failure_reason TEXT,
      started_at TEXT,
      finished_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX builds_app ON builds(app_id, created_at);

    CREATE TABLE formations (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
      type TEXT NOT NULL,
      quantity INTEGER NOT NULL,
      size TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (app_id, type)
    );

    CREATE TABLE domains (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
      hostname TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    CREATE TABLE addons (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
      name TEXT NOT NULL UNIQUE,
      service TEXT NOT NULL,
      plan TEXT NOT NULL,
      attachment_name TEXT NOT NULL,
      state TEXT NOT NULL,
      provider_id TEXT,
      config_sealed BLOB NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (app_id, attachment_name)
    );

    CREATE TABLE addon_backups (
      id TEXT PRIMARY KEY,
      addon_id TEXT NOT NULL,
      path TEXT NOT NULL,
      size INTEGER NOT NULL,
      created_at TEXT NOT NULL
    );

    CREATE TABLE repo_connections (
      app_id TEXT PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE,
      url TEXT NOT NULL,
      branch TEXT NOT NULL,
      poll_interval INTEGER NOT NULL,
      credential_sealed BLOB,
      ssh_public_key TEXT,
      webhook_secret_sealed BLOB NOT NULL,
      last_seen_sha TEXT,
      last_error TEXT,
      last_checked_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    CREATE TABLE log_drains (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
      url TEXT NOT NULL,
      token TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (app_id, url)
    );
  `,
};
