import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type JobOutcome, type ScheduledJob, scheduleNext } from '../../src/apply/schedule.js';

const job = (name: string, databaseKey: string, dependsOn: string[] = []): ScheduledJob => ({
  name,
  databaseKey,
  dependsOn,
});
const names = (jobs: ScheduledJob[]) => jobs.map((j) => j.name);

describe('scheduleNext', () => {
  it('starts up to the concurrency limit, in plan order', () => {
    const pending = [job('a', '1'), job('b', '2'), job('c', '3')];
    const step = scheduleNext({ pending, running: [], finished: new Map() }, 2);
    assert.deepEqual(names(step.start), ['a', 'b']);
    assert.deepEqual(step.skip, []);
  });

  it('never starts two imports on one database', () => {
    const pending = [job('a', '1'), job('b', '1'), job('c', '2')];
    const step = scheduleNext({ pending, running: [], finished: new Map() }, 3);
    assert.deepEqual(names(step.start), ['a', 'c']);
    const later = scheduleNext(
      { pending: [job('b', '1')], running: [job('a', '1')], finished: new Map() },
      3,
    );
    assert.deepEqual(names(later.start), []);
  });

  it('waits for dependencies that are part of the run', () => {
    const pending = [job('orders', '2', ['profiles']), job('profiles', '1')];
    const step = scheduleNext({ pending, running: [], finished: new Map() }, 2);
    assert.deepEqual(names(step.start), ['profiles']);
    const after = scheduleNext(
      {
        pending: [job('orders', '2', ['profiles'])],
        running: [],
        finished: new Map([['profiles', 'succeeded']]),
      },
      2,
    );
    assert.deepEqual(names(after.start), ['orders']);
  });

  it('treats dependencies outside the run as satisfied', () => {
    const step = scheduleNext(
      { pending: [job('orders', '2', ['unchanged-profiles'])], running: [], finished: new Map() },
      1,
    );
    assert.deepEqual(names(step.start), ['orders']);
  });

  it('skips dependents of a failed or skipped import, naming the culprit', () => {
    for (const outcome of ['failed', 'skipped'] as JobOutcome[]) {
      const step = scheduleNext(
        {
          pending: [job('orders', '2', ['profiles']), job('other', '3')],
          running: [],
          finished: new Map([['profiles', outcome]]),
        },
        2,
      );
      assert.deepEqual(names(step.start), ['other']);
      assert.deepEqual(
        step.skip.map((s) => [s.job.name, s.because]),
        [['orders', 'profiles']],
      );
    }
  });

  it('starts nothing when the running set already fills the limit', () => {
    const step = scheduleNext({ pending: [job('b', '2')], running: [job('a', '1')], finished: new Map() }, 1);
    assert.deepEqual(step.start, []);
  });
});
