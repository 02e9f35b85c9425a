import type { Command } from '../command.js';
import apps from './apps.js';
import appsCreate from './apps-create.js';
import appsDestroy from './apps-destroy.js';
import appsInfo from './apps-info.js';
import appsRename from './apps-rename.js';
import authToken from './auth-token.js';
import authWhoami from './auth-whoami.js';
import config from './config.js';
import configGet from './config-get.js';
import configSet from './config-set.js';
import configUnset from './config-unset.js';
import gitRemote from './git-remote.js';
import login from './login.js';
import logout from './logout.js';
import releases from './releases.js';
import releasesInfo from './releases-info.js';
import rollback from './rollback.js';
import server from './server.js';

/** Every CLI command. A new command adds one file and one entry here. */
export const COMMANDS: readonly Command[] = [
  apps, appsCreate, appsDestroy, appsInfo, appsRename, authToken, authWhoami, config, configGet, configSet,
  configUnset, gitRemote, login, logout, releases, releasesInfo, rollback, server,
];
