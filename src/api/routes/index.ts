import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { accountRoutes } from './account.js';
import { addonAttachmentRoutes } from './addon-attachments.js';
import { addonBackupRoutes } from './addon-backups.js';
import { addonServiceRoutes } from './addon-services.js';
import { addonRoutes } from './addons.js';
import { appRoutes } from './apps.js';
import { appPermissionRoutes } from './app-permissions.js';
import { autoscalingRoutes } from './autoscaling.js';
import { auditRoutes } from './audit.js';
import { buildRoutes } from './builds.js';
import { collaboratorRoutes } from './collaborators.js';
import { composeExportRoutes } from './compose-export.js';
import { configVarRoutes } from './config-vars.js';
import { cronJobRoutes } from './cron-jobs.js';
import { domainRoutes } from './domains.js';
import { dynoRoutes } from './dynos.js';
import { dynoSizeRoutes } from './dyno-sizes.js';
import { formationRoutes } from './formation.js';
import { hookRoutes } from './hooks.js';
import { healthRoutes } from './health.js';
import { logDrainRoutes } from './log-drains.js';
import { logSessionRoutes } from './log-sessions.js';
import { manifestRoutes } from './manifests.js';
import { metricsRoutes } from './metrics.js';
import { oauthRoutes } from './oauth.js';
import { oneOffDynoRoutes } from './one-off-dynos.js';
import { nodeRoutes } from './nodes.js';
import { releaseRoutes } from './releases.js';
import { repoRoutes } from './repo.js';
import { sessionRoutes } from './session.js';
import { slugRoutes } from './slugs.js';
import { sniEndpointRoutes } from './sni-endpoints.js';
import { sourceRoutes } from './sources.js';
import { teamRoutes } from './teams.js';
import { userRoutes } from './users.js';

/** Every Platform API route. A new resource adds one module and one line here. */
export function allRoutes(ctx: ApiContext): Route[] {
  return [
    healthRoutes, accountRoutes, appRoutes, configVarRoutes, releaseRoutes, domainRoutes, logSessionRoutes, repoRoutes,
    hookRoutes, buildRoutes, sourceRoutes, slugRoutes, addonRoutes, addonBackupRoutes, addonServiceRoutes, addonAttachmentRoutes,
    formationRoutes, dynoRoutes, logDrainRoutes, sniEndpointRoutes, oneOffDynoRoutes, manifestRoutes,
    metricsRoutes, autoscalingRoutes, dynoSizeRoutes, sessionRoutes, appPermissionRoutes,
    oauthRoutes, userRoutes, teamRoutes, collaboratorRoutes, auditRoutes,
    cronJobRoutes,
    nodeRoutes, composeExportRoutes,
  ].flatMap((make) => make(ctx));
}
