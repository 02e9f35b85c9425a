/**
 * The contract every add-on provider implements (postgres, redis, mysql,
 * mongodb, external). Providers own the resource on the server side; the
 * add-on service owns the records, config vars and releases.
 */

/** What the add-on service keeps about a provisioned resource (in the `addons` table). */
export interface Resource {
  /** The provider's own name for it (database and role name, instance id). */
  providerId: string;
  /** Connection URL including credentials; becomes the add-on's config var. */
  url: string;
}

export interface Credentials {
  host: string;
  port: number | null;
  user: string;
  password: string;
  database: string;
}

export interface AddonStatus {
  ok: boolean;
  /** What is wrong, when not ok; shown by `addons:info`. */
  detail: string;
}

/** A service users can create add-ons of, as `GET /addon-services` lists it. */
export interface ServiceDescription {
  /** Canonical name, the `service` of add-on records (`postgres`). */
  name: string;
  humanName: string;
  description: string;
  /** Other names accepted in plans and manifests (`heroku-postgresql`). */
  aliases: readonly string[];
  plans: readonly string[];
  /** Attachment names tried in order for a new add-on; `_2`, `_3`... are appended to the last. */
  attachmentNames: readonly string[];
  /** Config var suffix: `_URL` (most) or `_URI` (MongoDB's convention). */
  varSuffix: '_URL' | '_URI';
  /** Extension of its backup files (`.dump`), or null when it has no backups. */
  backupExtension: string | null;
  /** Attaches a URL the user gives instead of provisioning anything. */
  external: boolean;
}

export interface ProvisionRequest {
  addonId: string;
  /** Provider options from the create body's `config` (e.g. `url` for external). */
  options: Readonly<Record<string, string>>;
}

export interface AddonProvider {
  readonly service: ServiceDescription;
  /** Why add-ons of this kind cannot be created on this host (what to install), or null. */
  unavailable(): Promise<string | null>;
  provision(req: ProvisionRequest): Promise<Resource>;
  /** Deletes the resource and its data. Idempotent. */
  deprovision(r: Resource): Promise<void>;
  credentials(r: Resource): Credentials;
  status(r: Resource): Promise<AddonStatus>;
  /** Writes a backup of the resource's data to `file`. */
  backup(r: Resource, file: string): Promise<void>;
  /** Replaces the resource's data with the backup in `file`. */
  restore(r: Resource, file: string): Promise<void>;
  /** Sets a new password; the old one stops working. Returns the new URL. */
  rotate(r: Resource): Promise<Resource>;
  /** Starts what existing resources need, e.g. at platform start. */
  resume(rs: readonly Resource[]): Promise<void>;
}
