import type { DeployContext, DeployStep } from '../context.js';
import { required } from '../context.js';

/** Provisions the services the manifests declare and the app lacks (when a provisioner is wired in). */
export const services: DeployStep = {
  name: 'services',
  async run(ctx: DeployContext) {
    const { deps, req } = ctx;
    const plan = required(ctx.plan, 'plan');
    if (!plan.services.length || !deps.services) return;
    ctx.say(`-----> Ensuring services: ${plan.services.join(', ')}`);
    await deps.services.ensure(req.app, plan.services, (line) => ctx.say(`       ${line}`));
  },
};
