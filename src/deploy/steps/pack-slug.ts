import { STACK } from '../../build/index.js';
import { CONTAINER_STACK } from '../../domain/index.js';
import type { Slug } from '../../domain/index.js';
import { newId } from '../../shared/ids.js';
import { isoTime } from '../../shared/time.js';
import type { DeployContext, DeployStep } from '../context.js';
import { required } from '../context.js';

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)}M`;

/** Packs the compiled app into a content-addressed slug and records it. */
export const packSlug: DeployStep = {
  name: 'pack slug',
  async run(ctx: DeployContext) {
    const image = ctx.containerImage;
    if (!image) ctx.say('-----> Compressing...');
    // A Dockerfile app has no archive: its record names the image (Heroku's `container` stack).
    const packed = image ? { checksum: image, size: 0 } : await ctx.deps.slugs.pack(ctx.dirs.app);
    const slug: Slug = {
      id: newId(),
      appId: ctx.req.app.id,
      checksum: packed.checksum,
      size: packed.size,
      processTypes: required(ctx.processTypes, 'process types'),
      commit: ctx.commit?.sha ?? (ctx.req.source.kind === 'tarball' ? (ctx.req.source.version ?? null) : null),
      commitDescription: ctx.commit?.message.split('\n')[0] ?? null,
      stack: image ? CONTAINER_STACK : STACK,
      buildpackDescription: required(ctx.buildpacks, 'buildpacks').map((b) => b.name).join(', '),
      healthCheckPath: required(ctx.plan, 'plan').healthCheckPath,
      imageId: image ?? null,
      ...(ctx.processImages && Object.keys(ctx.processImages).length ? { processImages: ctx.processImages } : {}),
      createdAt: isoTime(),
    };
    ctx.deps.store.slugs.insert(slug);
    ctx.slug = slug;
    ctx.record({ slugId: slug.id });
    if (!image) ctx.say(`       Done: ${megabytes(packed.size)}`);
  },
};
