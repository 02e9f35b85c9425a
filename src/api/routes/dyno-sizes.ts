import { DYNO_SIZES } from '../../config/index.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';

/** Heroku's `GET /dyno-sizes`: what `ps:type` and the dashboard's size selector offer. */
export function dynoSizeRoutes(_ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/dyno-sizes',
      access: 'user',
      handler: async () => ({
        body: DYNO_SIZES.map((s) => ({ id: s.name, name: s.name, memory: s.memoryMb / 1024, dyno_units: s.cpuShares / 1024 })),
      }),
    },
  ];
}
