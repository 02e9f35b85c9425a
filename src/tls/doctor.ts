import { existsSync } from 'node:fs';
import { platformCaPath } from './ca.js';

/**
 * For `cupaas server --doctor`: where the platform CA is and how clients
 * trust it (the rendezvous endpoint of `run` presents a certificate it signed).
 */
export function platformCaReport(home: string, apiUrl: string): string {
  const ca = platformCaPath(home);
  return [
    'Platform CA (TLS of `run`/`heroku run` attach):',
    existsSync(ca) ? `  ${ca}` : `  ${ca} (created at the first \`cupaas server\` start)`,
    '  Trust it in Node clients such as the heroku CLI:',
    `    export NODE_EXTRA_CA_CERTS=${ca}`,
    `    HEROKU_HOST=${apiUrl} heroku run -a APP bash`,
    '  The cupaas CLI trusts it on its own when it runs with the same CUPAAS_HOME.',
  ].join('\n');
}
