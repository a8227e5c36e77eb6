// Builds what a watch session runs on: the pass deps, the per-import queue and the event router.
import type { Diagnostic } from '../core/diagnostic.js';
import type { Session } from '../run/session.js';
import { createEventRouter } from './event-router.js';
import { formatDelay } from './format-delay.js';
import { createImportQueue, exponentialBackoff, realTimers, type Timers } from './import-queue.js';
import { createMutex } from './mutex.js';
import type { WatchLog } from './watch-log.js';
import { type PassDeps, runWatchPass } from './watch-pass.js';
import type { WatchContext, WatchOptions } from './watch-session.js';
import { buildWatchTargets } from './watch-targets.js';

export type WatchRuntime = ReturnType<typeof createWatchRuntime>;

export function createWatchRuntime(
  context: WatchContext,
  options: WatchOptions,
  session: Session,
  log: WatchLog,
) {
  const writeProblems = (list: readonly Diagnostic[]) => context.reporter.diagnostics(list);
  const deps: PassDeps = {
    session,
    options: {
      allowDestructive: options.allowDestructive,
      allowOutside: options.allowOutside,
      wait: true,
      waitTimeoutMs: options.waitTimeoutMs,
    },
    log,
    verbose: context.verbose,
    writeProblems,
  };
  const mutex = createMutex();
  const timers: Timers = options.timers ?? realTimers;
  const queue = createImportQueue({
    debounceMs: options.debounceMs,
    backoffMs: exponentialBackoff(options.backoffBaseMs, options.backoffMaxMs),
    timers,
    run: async (name) =>
      (await mutex.run(() => runWatchPass(deps, [name]))).get(name) ?? {
        kind: 'unchanged',
        outcome: 'not configured',
      },
    onRetryScheduled: (name, delayMs, attempt) =>
      log.event(
        'retry-scheduled',
        `${name}: failure ${attempt} in a row; trying again in ${formatDelay(delayMs)} or on the next change`,
        { name, delayMs, attempt },
      ),
  });
  const router = createEventRouter({
    statePath: context.statePath,
    session,
    log,
    queue,
    mutex,
    timers,
    debounceMs: options.debounceMs,
    writeProblems,
    targets: buildWatchTargets(session.config),
    ...(context.only ? { only: context.only } : {}),
  });
  /** The catch-up pass: changes seen meanwhile wait, then every import's verdict seeds its queue entry. */
  const runInitialPass = async (): Promise<void> => {
    queue.pause();
    try {
      const verdicts = await mutex.run(() => runWatchPass(deps, context.only));
      for (const [name, verdict] of verdicts) queue.report(name, verdict);
    } finally {
      queue.resume();
    }
  };
  return { session, queue, router, timers, writeProblems, runInitialPass };
}
