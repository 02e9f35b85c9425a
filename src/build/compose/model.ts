import type { AddonUrlPart, ServiceName } from '../../domain/index.js';

/** Where a process type's image comes from. */
export type ComposeSource =
  | { kind: 'build'; context: string; dockerfile: string | null; args: Record<string, string>; target: string | null }
  | { kind: 'image'; image: string };

/** The part of an add-on's URL an environment value stands for. */
export type AddonPart = AddonUrlPart;

/** A compose `environment:` value: literal, or a reference to an add-on that replaced a compose service. */
export type ComposeEnvValue = string | { addon: string; part: AddonPart };

/** One compose service that runs as dynos of a process type. */
export interface ComposeProcess {
  /** `web` for the service that serves HTTP, else the compose service name. */
  type: string;
  service: string;
  source: ComposeSource;
  /** argv replacing the image's command (`command:`), or null to keep it. */
  command: string[] | null;
  /** argv replacing the image's entrypoint (`entrypoint:`), or null to keep it. */
  entrypoint: string[] | null;
  /** Merged under the app's config vars: a config var of the same name wins. */
  env: Record<string, ComposeEnvValue>;
  /** The container port a web image listens on (its `ports:` target); null: it reads `$PORT`. */
  port: number | null;
  quantity: number;
  /** Process types that start before this one (`depends_on`, add-ons left out). */
  dependsOn: string[];
}

/** A compose service whose image is a known database or cache: it becomes an add-on of the app. */
export interface ComposeAddon {
  /** The compose service name that other services refer to. */
  service: string;
  kind: ServiceName;
}

/** A compose file read as one app. */
export interface ComposeApp {
  file: string;
  /** In start-up order: every process comes after the ones it depends on. */
  processes: ComposeProcess[];
  addons: ComposeAddon[];
  /** Keys and values the platform does not apply, for the build output. */
  warnings: string[];
}
