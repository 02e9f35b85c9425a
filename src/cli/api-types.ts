/** The API's JSON shapes come from one schema shared by the API, the CLI and the dashboard. */
export type {
  AccountInfo, AddonBackupInfo, AddonInfo, AddonServiceInfo, AppInfo, AutoscalingInfo, BuildInfo, DomainInfo, DynoInfo,
  FormationInfo, LogSessionInfo, MetricsInfo, ReleaseInfo, RepoConnectionInfo, RepoConnectResult,
} from '../domain/index.js';
