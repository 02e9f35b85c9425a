import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { accountRoutes } from './account.js';
import { addonAttachmentRoutes } from './addon-attachments.js';
import { addonBackupRoutes } from './addon-backups.js';
import { addonServiceRoutes } from './addon-services.js';
import { addonRoutes } from './addons.js';
import { appRoutes } from './apps.js';
import { buildRoutes } from './builds.js';
import { composeExportRoutes } from './compose-export.js';
import { configVarRoutes } from './config-vars.js';
import { domainRoutes } from './domains.js';
import { dynoRoutes } from './dynos.js';
import { formationRoutes } from './formation.js';
import { hookRoutes } from './hooks.js';
import { healthRoutes } from './health.js';
import { logDrainRoutes } from './log-drains.js';
import { logSessionRoutes } from './log-sessions.js';
import { nodeRoutes } from './nodes.js';
import { releaseRoutes } from './releases.js';
import { repoRoutes } from './repo.js';
import { slugRoutes } from './slugs.js';
import { sourceRoutes } from './sources.js';

/** Every Platform API route. A new resource adds one module and one line here. */
export function allRoutes(ctx: ApiContext): Route[] {
  return [
    healthRoutes, accountRoutes, appRoutes, configVarRoutes, releaseRoutes, domainRoutes, logSessionRoutes, repoRoutes,
    hookRoutes, buildRoutes, sourceRoutes, slugRoutes, addonRoutes, addonBackupRoutes, addonServiceRoutes, addonAttachmentRoutes,
    formationRoutes, dynoRoutes, logDrainRoutes, nodeRoutes, composeExportRoutes,
  ].flatMap((make) => make(ctx));
}
