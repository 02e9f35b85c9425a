import type { Migration } from './migration.js';

/**
 * Accounts with passwords and platform roles, expiring tokens, teams,
 * collaborators and the audit trail. Every user that exists before this
 * migration is the first-start admin (the only way users were made), so all
 * of them become platform admins and keep owning their apps and keys.
 */
export const usersAndAccess: Migration = {
  id: 300,
  name: 'users-and-access',
  up: `
    ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'member';
    UPDATE users SET role = 'admin';
    ALTER TABLE users ADD COLUMN password_hash TEXT;
    ALTER TABLE users ADD COLUMN invitation_hash TEXT;
    ALTER TABLE users ADD COLUMN invitation_expires_at TEXT;
    ALTER TABLE api_keys ADD COLUMN expires_at TEXT;
    CREATE TABLE teams (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE team_members (
      team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (team_id, user_id)
    );
    ALTER TABLE apps ADD COLUMN team_id TEXT REFERENCES teams(id);
    CREATE TABLE collaborators (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (app_id, user_id)
    );
    CREATE TABLE audit_events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      user_id TEXT,
      user_email TEXT,
      app_id TEXT,
      app_name TEXT,
      action TEXT NOT NULL,
      detail TEXT,
      status INTEGER NOT NULL,
      source TEXT NOT NULL,
      address TEXT
    );
    CREATE INDEX audit_events_app ON audit_events (app_id, seq);
  `,
};
