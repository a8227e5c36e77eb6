// Per-import debounce → run → (queue one more | back off | wait for a change); tests drive it with mock timers.
import { compareCodeUnits } from '../core/compare-code-units.js';
import type { RowCounts } from '../plan/types.js';

/** What one run concluded; `outcome` is the word /status shows (succeeded, failed, refused, unchanged…). */
export interface RunVerdict {
  kind: 'ran' | 'unchanged' | 'failed' | 'waiting';
  outcome: string;
  /** The last plan's row counts against the previous version (DESIGN.md section 9). */
  rowChanges?: RowCounts;
}

export interface KeyStatus {
  name: string;
  phase: 'idle' | 'debouncing' | 'running' | 'backoff' | 'waiting';
  /** Change events since the last run started. */
  pendingChanges: number;
  /** A change arrived while running: one more run follows. */
  queued: boolean;
  lastOutcome?: string;
  /** The row counts of the last plan that had them. */
  rowChanges?: RowCounts;
  /** Epoch ms when the last import run (succeeded or failed) finished. */
  lastRunAt?: number;
  /** Failures in a row. */
  failures: number;
  nextRetryAt?: number;
}

export interface QueueOptions {
  debounceMs: number;
  /** Delay before retry number `attempt` (1-based) after a failure. */
  backoffMs: (attempt: number) => number;
  run: (name: string) => Promise<RunVerdict>;
  onRetryScheduled?: (name: string, delayMs: number, attempt: number) => void;
}

interface Entry extends KeyStatus {
  timer?: NodeJS.Timeout;
  /** Changes seen while paused; they start a debounce on resume. */
  dirty: boolean;
}

export type ImportQueue = ReturnType<typeof createImportQueue>;

export function createImportQueue(options: QueueOptions) {
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<void>>();
  let paused = false;
  let stopped = false;

  const entryOf = (name: string): Entry => {
    let entry = entries.get(name);
    if (!entry) {
      entry = { name, phase: 'idle', pendingChanges: 0, queued: false, failures: 0, dirty: false };
      entries.set(name, entry);
    }
    return entry;
  };
  const isLive = (entry: Entry) => !stopped && entries.get(entry.name) === entry;
  const clearTimer = (entry: Entry) => {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.nextRetryAt = undefined;
  };
  const schedule = (entry: Entry, phase: KeyStatus['phase'], ms: number) => {
    clearTimer(entry);
    entry.phase = phase;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      start(entry);
    }, ms);
  };
  const debounce = (entry: Entry) => schedule(entry, 'debouncing', options.debounceMs);

  const start = (entry: Entry) => {
    if (!isLive(entry)) return;
    clearTimer(entry);
    entry.phase = 'running';
    entry.pendingChanges = 0;
    const done = options
      .run(entry.name)
      .catch((error: unknown): RunVerdict => ({ kind: 'failed', outcome: `failed: ${String(error)}` }))
      .then((verdict) => settle(entry, verdict))
      .finally(() => inFlight.delete(entry.name));
    inFlight.set(entry.name, done);
  };

  const settle = (entry: Entry, verdict: RunVerdict) => {
    // A touch that changed nothing keeps the last real outcome and run time on show.
    if (verdict.kind !== 'unchanged' || entry.lastOutcome === undefined) entry.lastOutcome = verdict.outcome;
    if (verdict.kind === 'ran' || verdict.kind === 'failed') entry.lastRunAt = Date.now();
    if (verdict.rowChanges) entry.rowChanges = verdict.rowChanges;
    entry.failures = verdict.kind === 'failed' ? entry.failures + 1 : 0;
    entry.phase = verdict.kind === 'waiting' ? 'waiting' : 'idle';
    if (!isLive(entry)) return;
    if (entry.queued) {
      entry.queued = false;
      debounce(entry);
    } else if (verdict.kind === 'failed') {
      const delay = options.backoffMs(entry.failures);
      schedule(entry, 'backoff', delay);
      entry.nextRetryAt = Date.now() + delay;
      options.onRetryScheduled?.(entry.name, delay, entry.failures);
    }
  };

  return {
    /** A change for this key: (re)start its debounce, or queue one more run if it is running. */
    notify(name: string): void {
      if (stopped) return;
      const entry = entryOf(name);
      entry.pendingChanges += 1;
      if (entry.phase === 'running') entry.queued = true;
      else if (paused) entry.dirty = true;
      else debounce(entry);
    },
    /** Feeds the verdict of a run made elsewhere (the start-up pass) as if this queue had run it. */
    report(name: string, verdict: RunVerdict): void {
      settle(entryOf(name), verdict);
    },
    /** Holds changes without starting timers (during the start-up pass). */
    pause(): void {
      paused = true;
    },
    resume(): void {
      paused = false;
      for (const entry of entries.values()) {
        if (!entry.dirty) continue;
        entry.dirty = false;
        if (entry.phase !== 'running') debounce(entry);
      }
    },
    /** Drops a key no longer configured (its running run is left to finish). */
    forget(name: string): void {
      const entry = entries.get(name);
      if (entry) clearTimer(entry);
      entries.delete(name);
    },
    /** Cancels every timer and refuses new runs; runs in flight continue. */
    stop(): void {
      stopped = true;
      for (const entry of entries.values()) {
        clearTimer(entry);
        entry.queued = false;
      }
    },
    /** Resolves once no run is in flight. */
    async whenIdle(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    },
    status: (): KeyStatus[] =>
      [...entries.values()]
        .map(({ timer: _timer, dirty: _dirty, ...status }) => status)
        .sort((a, b) => compareCodeUnits(a.name, b.name)),
    running: () => [...inFlight.keys()].sort(),
  };
}

/** 1, 2, 4 … minutes, capped (15 minutes by default). */
export function exponentialBackoff(baseMs: number, maxMs: number): (attempt: number) => number {
  return (attempt) => Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
