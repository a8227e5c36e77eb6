import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideRetry,
  parseRetryAfter,
  type RequestFailure,
  type RetryInput,
} from '../../src/copernica/retry-policy.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function input(failure: RequestFailure, extra: Partial<RetryInput> = {}): RetryInput {
  return {
    attempt: 1,
    maxAttempts: 5,
    maxDelayMs: 30_000,
    idempotent: true,
    failure,
    random: 0.5,
    nowMs: NOW,
    ...extra,
  };
}

type Expect = 'retry' | 'stop' | 'unknown';
const rows: Array<[string, RequestFailure, boolean, Expect]> = [
  ['429', { kind: 'status', status: 429 }, false, 'retry'],
  ['502', { kind: 'status', status: 502 }, false, 'retry'],
  ['503', { kind: 'status', status: 503 }, false, 'retry'],
  ['refused before send', { kind: 'network', phase: 'before-send', code: 'ECONNREFUSED' }, false, 'retry'],
  ['connect timeout', { kind: 'timeout', phase: 'connect' }, false, 'retry'],
  ['504 idempotent', { kind: 'status', status: 504 }, true, 'retry'],
  ['504 add', { kind: 'status', status: 504 }, false, 'unknown'],
  [
    'reset after send idempotent',
    { kind: 'network', phase: 'after-send', code: 'ECONNRESET' },
    true,
    'retry',
  ],
  ['reset after send add', { kind: 'network', phase: 'after-send', code: 'ECONNRESET' }, false, 'unknown'],
  ['headers timeout idempotent', { kind: 'timeout', phase: 'headers' }, true, 'retry'],
  ['headers timeout add', { kind: 'timeout', phase: 'headers' }, false, 'unknown'],
  ['body timeout add', { kind: 'timeout', phase: 'body' }, false, 'unknown'],
  ['invalid token', { kind: 'status', status: 400, message: 'Invalid access token' }, true, 'stop'],
  ['400 other', { kind: 'status', status: 400, message: 'Invalid data provided' }, true, 'stop'],
  ['401', { kind: 'status', status: 401 }, true, 'stop'],
  ['404', { kind: 'status', status: 404 }, true, 'stop'],
  ['413', { kind: 'status', status: 413 }, true, 'stop'],
  ['500', { kind: 'status', status: 500, message: 'boom' }, true, 'stop'],
];

describe('decideRetry', () => {
  for (const [name, failure, idempotent, expected] of rows) {
    it(`${name} (${idempotent ? 'idempotent' : 'add'}) → ${expected}`, () => {
      const decision = decideRetry(input(failure, { idempotent }));
      assert.equal(decision.retry, expected === 'retry');
      if (!decision.retry) {
        assert.equal(decision.unknownOutcome, expected === 'unknown');
        if (expected === 'unknown') assert.match(decision.reason, /may or may not have been imported/);
      }
    });
  }

  it('stops at maxAttempts and marks an unknown outcome as such', () => {
    const last = decideRetry(input({ kind: 'status', status: 503 }, { attempt: 5 }));
    assert.deepEqual([last.retry, !last.retry && last.unknownOutcome], [false, false]);
    assert.match(last.reason, /5 attempts/);
    const unknown = decideRetry(input({ kind: 'status', status: 504 }, { attempt: 5 }));
    assert.equal(!unknown.retry && unknown.unknownOutcome, true);
  });

  it('backs off exponentially with equal jitter, capped by maxDelayMs', () => {
    const delays = [1, 2, 3, 4].map((attempt) => {
      const d = decideRetry(input({ kind: 'status', status: 503 }, { attempt, random: 0 }));
      return d.retry ? d.delayMs : -1;
    });
    assert.deepEqual(delays, [250, 500, 1000, 2000]);
    const high = decideRetry(input({ kind: 'status', status: 502 }, { attempt: 2, random: 1 }));
    assert.equal(high.retry && high.delayMs, 1000);
    const capped = decideRetry(
      input({ kind: 'status', status: 502 }, { attempt: 20, maxAttempts: 30, maxDelayMs: 3000, random: 1 }),
    );
    assert.equal(capped.retry && capped.delayMs, 3000);
  });

  it('waits Retry-After seconds or until an HTTP date, capped by maxDelayMs', () => {
    const seconds = decideRetry(input({ kind: 'status', status: 429, retryAfter: '7' }));
    assert.equal(seconds.retry && seconds.delayMs, 7000);
    const date = new Date(NOW + 12_000).toUTCString();
    const byDate = decideRetry(input({ kind: 'status', status: 429, retryAfter: date }));
    assert.equal(byDate.retry && byDate.delayMs, 12_000);
    const capped = decideRetry(
      input({ kind: 'status', status: 429, retryAfter: '3600' }, { maxDelayMs: 10_000 }),
    );
    assert.equal(capped.retry && capped.delayMs, 10_000);
    const garbage = decideRetry(input({ kind: 'status', status: 429, retryAfter: 'soon' }, { random: 0 }));
    assert.equal(garbage.retry && garbage.delayMs, 250);
  });

  it('parses Retry-After in the past as no wait', () => {
    assert.equal(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW), 0);
    assert.equal(parseRetryAfter(' 3 ', NOW), 3000);
  });
});
