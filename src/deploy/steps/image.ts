import type { DeployContext, DeployStep } from '../context.js';
import { required } from '../context.js';

/**
 * Makes the slug an OCI image on the stack image, when the platform runs
 * images (the `docker` runtime, or `CUPAAS_IMAGES=on`). The release's tag
 * `REGISTRY/APP:vN` is pushed once the release exists.
 */
export const image: DeployStep = {
  name: 'image',
  async run(ctx: DeployContext) {
    const images = ctx.deps.images;
    if (!images) return;
    const slug = required(ctx.slug, 'slug');
    if (slug.imageId) return;
    ctx.say('-----> Making the release image...');
    const id = await images.imageOfSlug(slug, (line) => ctx.output(`${line}\n`));
    ctx.deps.store.slugs.setImage(slug.id, id);
    ctx.slug = { ...slug, imageId: id };
    ctx.say(`       Done: ${id.slice(0, 19)}`);
  },
};
