// Pure scheduling: which planned imports may start now (dependencies done, one per database, within concurrency).

export interface ScheduledJob {
  name: string;
  dependsOn: string[];
  /** Jobs with the same database key never run at the same time. */
  databaseKey: string;
}

export type JobOutcome = 'succeeded' | 'failed' | 'skipped';

export interface ScheduleState {
  pending: readonly ScheduledJob[];
  running: readonly ScheduledJob[];
  /** Outcome per finished job; dependencies outside the job list count as satisfied. */
  finished: ReadonlyMap<string, JobOutcome>;
}

export interface ScheduleStep {
  start: ScheduledJob[];
  /** Jobs that can never run because a dependency failed or was skipped, with the culprit. */
  skip: { job: ScheduledJob; because: string }[];
}

export function scheduleNext(state: ScheduleState, concurrency: number): ScheduleStep {
  const names = new Set([...state.pending, ...state.running].map((j) => j.name));
  const skip = state.pending.flatMap((job) => {
    const culprit = job.dependsOn.find((dep) => isBlocking(state.finished.get(dep)));
    return culprit === undefined ? [] : [{ job, because: culprit }];
  });
  const skipped = new Set(skip.map((s) => s.job.name));
  const busyDatabases = new Set(state.running.map((j) => j.databaseKey));
  const start: ScheduledJob[] = [];
  for (const job of state.pending) {
    if (state.running.length + start.length >= concurrency) break;
    if (skipped.has(job.name) || busyDatabases.has(job.databaseKey)) continue;
    if (!job.dependsOn.every((dep) => isDone(dep, state.finished, names))) continue;
    start.push(job);
    busyDatabases.add(job.databaseKey);
  }
  return { start, skip };
}

function isBlocking(outcome: JobOutcome | undefined): boolean {
  return outcome === 'failed' || outcome === 'skipped';
}

function isDone(
  dep: string,
  finished: ReadonlyMap<string, JobOutcome>,
  scheduled: ReadonlySet<string>,
): boolean {
  if (finished.get(dep) === 'succeeded') return true;
  // A dependency that is not part of this run (unchanged, or not selected) is already in place.
  return !scheduled.has(dep) && !finished.has(dep);
}
