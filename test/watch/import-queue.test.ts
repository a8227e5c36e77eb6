// The per-import state machine under node:test's mock timers: debounce, one queued run, backoff, waiting.
import assert from 'node:assert/strict';
import { beforeEach, describe, mock, test } from 'node:test';
import {
  createImportQueue,
  exponentialBackoff,
  type ImportQueue,
  type RunVerdict,
} from '../../src/watch/import-queue.js';

interface Harness {
  queue: ImportQueue;
  runs: string[];
  /** Resolves the oldest unfinished run with this verdict. */
  finish(verdict: RunVerdict): Promise<void>;
  retries: Array<{ name: string; delayMs: number; attempt: number }>;
}

const OK: RunVerdict = { kind: 'ran', outcome: 'finished' };
const FAILED: RunVerdict = { kind: 'failed', outcome: 'failed' };

function harness(): Harness {
  const runs: string[] = [];
  const pending: Array<(v: RunVerdict) => void> = [];
  const retries: Harness['retries'] = [];
  const queue = createImportQueue({
    debounceMs: 100,
    backoffMs: exponentialBackoff(1000, 4000),
    run: (name) => {
      runs.push(name);
      return new Promise<RunVerdict>((resolve) => pending.push(resolve));
    },
    onRetryScheduled: (name, delayMs, attempt) => retries.push({ name, delayMs, attempt }),
  });
  return {
    queue,
    runs,
    retries,
    async finish(verdict) {
      const resolve = pending.shift();
      assert.ok(resolve, 'a run is in flight');
      resolve(verdict);
      await settle();
    },
  };
}

/** Lets the run's promise chain settle (setImmediate is not mocked). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const phase = (q: ImportQueue, name: string) => q.status().find((s) => s.name === name)?.phase;

describe('import queue', () => {
  beforeEach(() => {
    mock.timers.reset();
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  });

  test('a burst of changes gives one run after the quiet time', async () => {
    const h = harness();
    for (let i = 0; i < 50; i++) {
      h.queue.notify('a');
      mock.timers.tick(10);
    }
    assert.deepEqual(h.runs, []);
    assert.equal(h.queue.status()[0]?.pendingChanges, 50);
    mock.timers.tick(100);
    assert.deepEqual(h.runs, ['a']);
    assert.equal(phase(h.queue, 'a'), 'running');
    await h.finish(OK);
    assert.equal(phase(h.queue, 'a'), 'idle');
    assert.equal(h.queue.status()[0]?.lastOutcome, 'finished');
    assert.equal(h.queue.status()[0]?.pendingChanges, 0);
  });

  test('changes while running queue exactly one more run', async () => {
    const h = harness();
    h.queue.notify('a');
    mock.timers.tick(100);
    for (let i = 0; i < 5; i++) h.queue.notify('a');
    assert.equal(h.queue.status()[0]?.queued, true);
    await h.finish(OK);
    mock.timers.tick(100);
    assert.deepEqual(h.runs, ['a', 'a']);
    await h.finish(OK);
    mock.timers.tick(1000);
    assert.deepEqual(h.runs, ['a', 'a'], 'no third run');
  });

  test('imports debounce independently', async () => {
    const h = harness();
    h.queue.notify('a');
    mock.timers.tick(60);
    h.queue.notify('b');
    mock.timers.tick(40);
    assert.deepEqual(h.runs, ['a']);
    mock.timers.tick(60);
    assert.deepEqual(h.runs, ['a', 'b']);
    await h.finish(OK);
    await h.finish(OK);
  });

  test('failures back off 1, 2, 4 … capped, and a success resets the count', async () => {
    const h = harness();
    h.queue.notify('a');
    mock.timers.tick(100);
    await h.finish(FAILED);
    assert.deepEqual(h.retries.at(-1), { name: 'a', delayMs: 1000, attempt: 1 });
    assert.equal(phase(h.queue, 'a'), 'backoff');
    mock.timers.tick(999);
    assert.equal(h.runs.length, 1);
    mock.timers.tick(1);
    assert.equal(h.runs.length, 2);
    await h.finish(FAILED);
    assert.equal(h.retries.at(-1)?.delayMs, 2000);
    mock.timers.tick(2000);
    await h.finish(FAILED);
    assert.equal(h.retries.at(-1)?.delayMs, 4000);
    mock.timers.tick(4000);
    await h.finish(FAILED);
    assert.equal(h.retries.at(-1)?.delayMs, 4000, 'capped');
    mock.timers.tick(4000);
    await h.finish(OK);
    assert.equal(h.queue.status()[0]?.failures, 0);
    assert.equal(phase(h.queue, 'a'), 'idle');
  });

  test('a change during backoff retries after the debounce instead of the backoff', async () => {
    const h = harness();
    h.queue.notify('a');
    mock.timers.tick(100);
    await h.finish(FAILED);
    h.queue.notify('a');
    assert.equal(h.queue.status()[0]?.nextRetryAt, undefined);
    mock.timers.tick(100);
    assert.equal(h.runs.length, 2);
    await h.finish(OK);
  });

  test('a refused import waits for a change: no retry timer', async () => {
    const h = harness();
    h.queue.notify('a');
    mock.timers.tick(100);
    await h.finish({ kind: 'waiting', outcome: 'refused' });
    assert.equal(phase(h.queue, 'a'), 'waiting');
    mock.timers.tick(60 * 60 * 1000);
    assert.equal(h.runs.length, 1);
    h.queue.notify('a');
    mock.timers.tick(100);
    assert.equal(h.runs.length, 2);
    await h.finish(OK);
  });

  test('an unchanged verdict keeps the last real outcome and run time', async () => {
    const h = harness();
    h.queue.report('a', OK);
    const lastRun = h.queue.status()[0]?.lastRunAt;
    mock.timers.tick(5000);
    h.queue.notify('a');
    mock.timers.tick(100);
    await h.finish({ kind: 'unchanged', outcome: 'unchanged' });
    assert.equal(h.queue.status()[0]?.lastOutcome, 'finished');
    assert.equal(h.queue.status()[0]?.lastRunAt, lastRun);
  });

  test('paused changes start their debounce on resume; a reported failure backs off', () => {
    const h = harness();
    h.queue.pause();
    h.queue.notify('a');
    mock.timers.tick(1000);
    assert.deepEqual(h.runs, []);
    h.queue.report('b', FAILED);
    assert.equal(phase(h.queue, 'b'), 'backoff');
    h.queue.resume();
    mock.timers.tick(100);
    assert.deepEqual(h.runs, ['a']);
  });

  test('stop cancels timers and the queued run; the run in flight finishes', async () => {
    const h = harness();
    h.queue.notify('a');
    h.queue.notify('b');
    mock.timers.tick(100);
    h.queue.notify('a');
    h.queue.notify('c');
    h.queue.stop();
    assert.deepEqual(h.queue.running(), ['a', 'b']);
    await h.finish(OK);
    await h.finish(FAILED);
    mock.timers.tick(60_000);
    assert.deepEqual(h.runs, ['a', 'b']);
    assert.deepEqual(h.queue.running(), []);
  });

  test('a run that throws counts as a failure, and a forgotten import never runs again', async () => {
    let calls = 0;
    const queue = createImportQueue({
      debounceMs: 10,
      backoffMs: () => 50,
      run: async () => {
        calls++;
        throw new Error('boom');
      },
    });
    queue.notify('a');
    mock.timers.tick(10);
    await settle();
    assert.equal(queue.status()[0]?.phase, 'backoff');
    queue.forget('a');
    mock.timers.tick(1000);
    assert.equal(calls, 1);
    assert.deepEqual(queue.status(), []);
  });
});
