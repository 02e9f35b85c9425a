/** The API's JSON shapes come from one schema shared by the API, the CLI and the dashboard. */
export type {
  AccountInfo, AddonBackupInfo, AddonInfo, AddonServiceInfo, AppInfo, AppPermissionsInfo, AuditEventInfo, AuthorizationInfo,
  AutoscalingInfo, BuildInfo, CollaboratorInfo, DomainInfo, DynoInfo, FormationInfo, JoinCommandInfo, LogSessionInfo, MetricsInfo, NodeInfo, ReleaseInfo,
  RepoConnectionInfo, RepoConnectResult, TeamInfo, TeamMemberInfo, UserInfo,
} from '../domain/index.js';
