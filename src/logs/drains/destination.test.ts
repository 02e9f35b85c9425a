import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startHttpReceiver } from '../../../test/support/log-receivers.js';
import { PlatformError } from '../../shared/errors.js';
import { createLogger } from '../../shared/logger.js';
import { waitFor } from '../../shared/wait.js';
import { createDrainDestinations } from './destination.js';
import { createHttpDrain } from './http.js';
import { parseDrainUrl } from './registry.js';
import { createSyslogDrain } from './syslog.js';
import type { DrainMessage } from './types.js';

const refusedAt = (d: ReturnType<typeof createDrainDestinations>, url: string): boolean => {
  try {
    d.checkUrl(parseDrainUrl(url));
    return false;
  } catch (e) {
    assert.ok(e instanceof PlatformError && e.id === 'invalid_params', String(e));
    return true;
  }
};

const SERVICES = '172.31.255.254';
const strict = createDrainDestinations({ refuseHosts: ['api.paas.example', SERVICES], apiPort: 5000, ownAddresses: () => ['203.0.113.9', '198.51.99.7'] });

describe('drain destinations', () => {
  it('refuses metadata, loopback in every spelling, private ranges, this machine, its API and services address', () => {
    for (const url of [
      'http://169.254.169.254/latest', 'https://[fd00:ec2::254]/', 'http://metadata.google.internal/', 'http://metadata/',
      'http://127.0.0.1/', 'http://0x7f000001/', 'http://2130706433/', 'http://[::ffff:127.0.0.1]/', 'http://0.0.0.0/',
      'http://localhost/', 'http://app.localhost/', 'http://127.1/', 'http://0177.0.0.1/', 'http://[::1]/', 'http://[::]/',
      'http://10.0.0.1/', 'http://172.16.5.4/', 'http://192.168.1.1/', 'http://100.64.0.1/', 'http://[fe80::1]/', 'http://[fc00::1]/',
      'http://224.0.0.1/', `syslog://${SERVICES}:514`, 'https://api.paas.example/', 'http://198.51.99.7/', 'http://[::ffff:c633:6307]/',
    ]) {
      assert.ok(refusedAt(strict, url), url);
    }
  });

  it('accepts public addresses and names (their addresses are checked at connect time)', () => {
    for (const url of ['https://logs.example.com/drain', 'http://93.184.216.34/', 'syslog+tls://logs.papertrailapp.com:12345', 'https://[2606:4700::1111]/']) {
      assert.ok(!refusedAt(strict, url), url);
    }
  });

  it('lets an admin allow named hosts and ranges, but never the API port on this machine', () => {
    const d = createDrainDestinations({ allow: ['127.0.0.1', '10.1.0.0/16', 'collector.internal', '::1'], apiPort: 5000, ownAddresses: () => [] });
    for (const url of ['http://127.0.0.1:8080/', 'http://10.1.2.3/', 'syslog://collector.internal:514', 'http://[::1]:9000/']) assert.ok(!refusedAt(d, url), url);
    for (const url of ['http://10.2.0.1/', 'http://127.0.0.2/', 'http://127.0.0.1:5000/', 'http://localhost:5000/']) assert.ok(refusedAt(d, url), url);
  });

  it('refuses control characters and malformed escapes in drain URLs', () => {
    assert.throws(() => parseDrainUrl('https://%ZZ:x@logs.example.com/'), PlatformError);
    for (const url of ['https://logs.example.com/a\tb', 'https://logs.example.com/\r\nX: y', 'https://logs.example.com/\u0000']) {
      assert.throws(() => parseDrainUrl(url), PlatformError, JSON.stringify(url));
    }
  });

  it('checks the addresses a name resolves to when a drain connects (DNS rebinding), for HTTP and syslog', async (t) => {
    const collector = await startHttpReceiver();
    t.after(() => collector.stop());
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (l) => lines.push(l) });
    // `localhost` stands for a name that passed when the drain was added and now resolves to loopback.
    const opts = { token: 'd.x', logger, destinations: createDrainDestinations(), minBackoffMs: 1, maxBackoffMs: 2, connectTimeoutMs: 2000 };
    const batch: DrainMessage[] = [{ epochMs: Date.now(), source: 'app', process: 'web.1', message: 'secret' }];
    const http = createHttpDrain(new URL(`http://localhost:${collector.port}/`), opts);
    await http.deliver(batch);
    await http.close();
    assert.equal(collector.requests.length, 0);
    assert.ok(lines.some((l) => l.includes('refused address')), lines.join('\n'));

    lines.length = 0;
    const syslog = createSyslogDrain(new URL(`syslog://localhost:${collector.port}`), opts, false);
    const sent = syslog.deliver(batch);
    await waitFor(() => lines.some((l) => l.includes('refused address')), { what: 'the syslog drain to refuse the address' });
    await syslog.close();
    await sent.catch(() => {});
  });
});
