// Per-import debounce → run → (queue one more | back off | wait for a change), with injected timers for tests.
import { compareCodeUnits } from '../core/compare-code-units.js';

export type VerdictKind = 'ran' | 'unchanged' | 'failed' | 'waiting';

/** What one run concluded; `outcome` is the word /status shows (succeeded, failed, refused, unchanged…). */
export interface RunVerdict {
  kind: VerdictKind;
  outcome: string;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export type Phase = 'idle' | 'debouncing' | 'running' | 'backoff' | 'waiting';

export interface KeyStatus {
  name: string;
  phase: Phase;
  /** Change events since the last run started. */
  pendingChanges: number;
  /** A change arrived while running: one more run follows. */
  queued: boolean;
  lastOutcome?: string;
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
  timers: Timers;
  run: (name: string) => Promise<RunVerdict>;
  onRetryScheduled?: (name: string, delayMs: number, attempt: number) => void;
}

interface Entry extends KeyStatus {
  timer?: unknown;
  /** Changes seen while paused; they start a debounce on resume. */
  dirty: boolean;
}

export interface ImportQueue {
  /** A change for this key: (re)start its debounce, or queue one more run if it is running. */
  notify(name: string): void;
  /** Feeds the verdict of a run made elsewhere (the start-up pass) as if this queue had run it. */
  report(name: string, verdict: RunVerdict): void;
  /** Holds changes without starting timers (during the start-up pass). */
  pause(): void;
  resume(): void;
  /** Drops a key no longer configured (its running run is left to finish). */
  forget(name: string): void;
  /** Cancels every timer and refuses new runs; runs in flight continue. */
  stop(): void;
  /** Resolves once no run is in flight. */
  whenIdle(): Promise<void>;
  status(): KeyStatus[];
  running(): string[];
}

export function createImportQueue(options: QueueOptions): ImportQueue {
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<void>>();
  let paused = false;
  let stopped = false;
  const { timers } = options;

  const entryOf = (name: string): Entry => {
    let entry = entries.get(name);
    if (!entry) {
      entry = { name, phase: 'idle', pendingChanges: 0, queued: false, failures: 0, dirty: false };
      entries.set(name, entry);
    }
    return entry;
  };
  const clearTimer = (entry: Entry) => {
    if (entry.timer !== undefined) timers.clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.nextRetryAt = undefined;
  };
  const schedule = (entry: Entry, phase: Phase, ms: number) => {
    clearTimer(entry);
    entry.phase = phase;
    entry.timer = timers.setTimeout(() => {
      entry.timer = undefined;
      start(entry);
    }, ms);
  };
  const debounce = (entry: Entry) => schedule(entry, 'debouncing', options.debounceMs);

  const start = (entry: Entry) => {
    if (stopped || entries.get(entry.name) !== entry) return;
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
    if (verdict.kind === 'ran' || verdict.kind === 'failed') entry.lastRunAt = timers.now();
    entry.failures = verdict.kind === 'failed' ? entry.failures + 1 : 0;
    entry.phase = verdict.kind === 'waiting' ? 'waiting' : 'idle';
    if (stopped || entries.get(entry.name) !== entry) return;
    if (entry.queued) {
      entry.queued = false;
      debounce(entry);
    } else if (verdict.kind === 'failed') {
      const delay = options.backoffMs(entry.failures);
      schedule(entry, 'backoff', delay);
      entry.nextRetryAt = timers.now() + delay;
      options.onRetryScheduled?.(entry.name, delay, entry.failures);
    }
  };

  return {
    notify(name) {
      if (stopped) return;
      const entry = entryOf(name);
      entry.pendingChanges += 1;
      if (entry.phase === 'running') entry.queued = true;
      else if (paused) entry.dirty = true;
      else debounce(entry);
    },
    report(name, verdict) {
      settle(entryOf(name), verdict);
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const entry of entries.values()) {
        if (!entry.dirty) continue;
        entry.dirty = false;
        if (entry.phase !== 'running') debounce(entry);
      }
    },
    forget(name) {
      const entry = entries.get(name);
      if (entry) clearTimer(entry);
      entries.delete(name);
    },
    stop() {
      stopped = true;
      for (const entry of entries.values()) {
        clearTimer(entry);
        entry.queued = false;
      }
    },
    async whenIdle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    },
    status: () =>
      [...entries.values()]
        .map(({ timer: _timer, dirty: _dirty, ...status }) => ({ ...status }))
        .sort((a, b) => compareCodeUnits(a.name, b.name)),
    running: () => [...inFlight.keys()].sort(),
  };
}

/** 1, 2, 4 … minutes, capped (15 minutes by default). */
export function exponentialBackoff(baseMs: number, maxMs: number): (attempt: number) => number {
  return (attempt) => Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};
