import type { DeployContext, DeployStep } from '../context.js';
import { required } from '../context.js';

/**
 * app.json `scripts.postdeploy`: run once, in a one-off dyno of the new
 * release, after the app's first deploy (Heroku runs it when an app is set
 * up). Its failure is reported; the release stands.
 */
export const postdeploy: DeployStep = {
  name: 'postdeploy',
  async run(ctx: DeployContext) {
    const { deps, req } = ctx;
    const command = required(ctx.plan, 'plan').postdeploy;
    const release = required(ctx.release, 'release');
    if (!command || !deps.oneOffs) return;
    const deployed = deps.store.releases.list(req.app.id).filter((r) => r.slugId !== null && r.status !== 'failed');
    if (deployed.length !== 1) return;
    ctx.say(`-----> Running postdeploy script: ${command}`);
    const { status } = await deps.oneOffs.runToExit({
      app: req.app, type: 'postdeploy', command,
      release: { id: release.id, version: release.version, slug: required(ctx.slug, 'slug'), config: release.config },
      onLine: (line) => ctx.say(`       ${line}`),
    });
    if (status !== 0) ctx.say(` !     postdeploy exited with status ${status}; v${release.version} is released all the same.`);
  },
};
