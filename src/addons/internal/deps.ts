import type { ServiceAddresses } from './addresses.js';
import type { Supervisor } from './supervisor.js';
import type { ServiceUser } from './service-user.js';

/** What every server-backed provider gets from the add-on subsystem. */
export interface ServerProviderDeps {
  /** `$CUPAAS_HOME/services`; each kind keeps its server under `<dir>/<kind>`. */
  servicesDir: string;
  supervisor: Supervisor;
  user: ServiceUser | null;
  /** PATH and locale for client and server programs; never the platform's own secrets. */
  env: Readonly<NodeJS.ProcessEnv>;
  /** PATH to search for server programs. */
  path: string;
  /** Lets the service user reach `dir` (through the platform's home); fails with a fix when it cannot. */
  reach(dir: string): Promise<void>;
  /** Where servers listen, the host their URLs name, and which clients may log in. */
  addresses: ServiceAddresses;
}
