/** Every router data plane, for the contract tests: how to make one, what it cannot meet, how to wait for it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHaproxyDataPlane, createNodeDataPlane, haproxyMissing, type DataPlaneFactory, type HaproxyDataPlane } from '../../src/router/index.js';
import { silentLogger } from '../../src/shared/logger.js';

/**
 * A plane, the cases it cannot meet (test name → reason) or a reason to skip
 * it entirely, and for a plane that applies state asynchronously, how to wait
 * until it has (requests are sent only after that).
 */
export interface Plane {
  factory: DataPlaneFactory;
  skip?: string | false;
  cases?: Readonly<Record<string, string>>;
  settled?: () => Promise<void>;
}

const HAPROXY_SILENT_CLOSE =
  'HAProxy answers a dyno hang-up on a reused keep-alive client connection by closing it silently (so the client retries), ' +
  'not with the 503 page; only a connection\'s first request gets the page (the request is still logged as H13)';

function haproxyPlane(): Plane {
  let plane: HaproxyDataPlane | undefined;
  return {
    factory: (options, events) =>
      (plane = createHaproxyDataPlane({ dir: mkdtempSync(join(tmpdir(), 'cupaas-haproxy-')), logger: silentLogger })(options, events)),
    settled: async () => plane?.settled(),
    skip: haproxyMissing() ?? false,
    cases: {
      'H13 when the dyno closes the connection without answering': HAPROXY_SILENT_CLOSE,
      'never replays a request with a body: H13 when the dyno drops it': HAPROXY_SILENT_CLOSE,
      'replays a bodiless GET that a dyno dropped unanswered on another dyno, and quarantines the dyno':
        'HAProxy replays the GET on another dyno (retry-on empty-response), but nothing it reports names the dyno that dropped it, so that dyno is not quarantined',
    },
  };
}

/** A fresh list per test file: a plane's `settled` follows the last plane its factory made. */
export const DATA_PLANES: ReadonlyArray<[string, Plane]> = [['node', { factory: createNodeDataPlane }], ['haproxy', haproxyPlane()]];

