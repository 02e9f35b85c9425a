import type { Command } from '../command.js';
import addons from './addons.js';
import addonsAttach from './addons-attach.js';
import addonsBackup from './addons-backup.js';
import addonsBackups from './addons-backups.js';
import addonsConnect from './addons-connect.js';
import addonsCreate from './addons-create.js';
import addonsCredentialsRotate from './addons-credentials-rotate.js';
import addonsDestroy from './addons-destroy.js';
import addonsDownload from './addons-download.js';
import addonsInfo from './addons-info.js';
import addonsRestore from './addons-restore.js';
import addonsServices from './addons-services.js';
import apps from './apps.js';
import appsComposeExport from './apps-compose-export.js';
import appsConnect from './apps-connect.js';
import appsCreate from './apps-create.js';
import appsDestroy from './apps-destroy.js';
import appsDisconnect from './apps-disconnect.js';
import appsInfo from './apps-info.js';
import appsManifests from './apps-manifests.js';
import appsRename from './apps-rename.js';
import authToken from './auth-token.js';
import autoscaleDisable from './autoscale-disable.js';
import autoscaleEnable from './autoscale-enable.js';
import authWhoami from './auth-whoami.js';
import builds from './builds.js';
import certs from './certs.js';
import certsAdd from './certs-add.js';
import certsRemove from './certs-remove.js';
import certsUpdate from './certs-update.js';
import buildsOutput from './builds-output.js';
import config from './config.js';
import deploy from './deploy.js';
import configGet from './config-get.js';
import configSet from './config-set.js';
import configUnset from './config-unset.js';
import cron from './cron.js';
import cronAdd from './cron-add.js';
import cronRemove from './cron-remove.js';
import deploysTrigger from './deploys-trigger.js';
import domains from './domains.js';
import domainsAdd from './domains-add.js';
import domainsRemove from './domains-remove.js';
import down from './down.js';
import drains from './drains.js';
import drainsAdd from './drains-add.js';
import drainsRemove from './drains-remove.js';
import gitRemote from './git-remote.js';
import login from './login.js';
import logout from './logout.js';
import logs from './logs.js';
import metrics from './metrics.js';
import nodes from './nodes.js';
import nodesDrain from './nodes-drain.js';
import nodesJoinCommand from './nodes-join-command.js';
import ps from './ps.js';
import psRestart from './ps-restart.js';
import psScale from './ps-scale.js';
import psStop from './ps-stop.js';
import psType from './ps-type.js';
import releases from './releases.js';
import releasesInfo from './releases-info.js';
import rollback from './rollback.js';
import run from './run.js';
import server from './server.js';
import up from './up.js';
import access from './access.js';
import accessAdd from './access-add.js';
import accessRemove from './access-remove.js';
import audit from './audit.js';
import authorizations from './authorizations.js';
import authorizationsCreate from './authorizations-create.js';
import authorizationsRevoke from './authorizations-revoke.js';
import members from './members.js';
import membersAdd from './members-add.js';
import membersRemove from './members-remove.js';
import teams from './teams.js';
import teamsCreate from './teams-create.js';
import users from './users.js';
import usersAdd from './users-add.js';
import usersPasswd from './users-passwd.js';
import usersRemove from './users-remove.js';

/** Every CLI command. A new command adds one file and one entry here. */
export const COMMANDS: readonly Command[] = [
  addons, addonsAttach, addonsBackup, addonsBackups, addonsConnect, addonsCreate, addonsCredentialsRotate, addonsDestroy,
  addonsDownload, addonsInfo, addonsRestore, addonsServices,
  appsComposeExport, appsConnect, appsDisconnect, deploysTrigger, builds, buildsOutput, deploy,
  apps, appsCreate, appsDestroy, appsInfo, appsManifests, appsRename, authToken, authWhoami, certs, certsAdd, certsRemove, certsUpdate, config, configGet, configSet,
  configUnset, domains, domainsAdd, domainsRemove, drains, drainsAdd, drainsRemove, gitRemote, login, logout, logs,
  nodes, nodesDrain, nodesJoinCommand, ps, psRestart, psScale,
  psStop, psType, releases, releasesInfo, rollback, server, up, down,
  metrics, autoscaleEnable, autoscaleDisable,
  access, accessAdd, accessRemove, audit, authorizations, authorizationsCreate, authorizationsRevoke, members, membersAdd,
  membersRemove, teams, teamsCreate, users, usersAdd, usersPasswd, usersRemove,
  cron, cronAdd, cronRemove, run,
];
