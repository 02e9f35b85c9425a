import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from '../errors.js';
import { parseDuration } from './autoscale-enable.js';

describe('autoscale:enable --p95', () => {
  it('reads milliseconds and seconds', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('250'), 250);
  });
  it('refuses anything else with the usage', () => {
    for (const bad of ['fast', '-1ms', '1m', '']) assert.throws(() => parseDuration(bad), CliError, bad);
  });
});
