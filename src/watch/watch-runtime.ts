// Builds what a watch session runs on: the pass deps, the per-import queue and the event router.
import type { Session } from '../run/session.js';
import { createEventRouter } from './event-router.js';
import { createImportQueue, exponentialBackoff } from './import-queue.js';
import { formatDelay, type WatchLog } from './watch-log.js';
import { type PassDeps, runWatchPass } from './watch-pass.js';
import type { WatchContext, WatchOptions } from './watch-session.js';

export type WatchRuntime = ReturnType<typeof createWatchRuntime>;

export function createWatchRuntime(
  context: WatchContext,
  options: WatchOptions,
  session: Session,
  log: WatchLog,
) {
  const { allowDestructive, allowOutside, waitTimeoutMs } = options;
  const passOptions = { allowDestructive, allowOutside, wait: true, waitTimeoutMs };
  const deps: PassDeps = { session, options: passOptions, log, verbose: context.verbose };
  const exclusive = createMutex();
  const queue = createImportQueue({
    debounceMs: options.debounceMs,
    backoffMs: exponentialBackoff(options.backoffBaseMs, options.backoffMaxMs),
    run: async (name) =>
      (await exclusive(() => runWatchPass(deps, [name]))).get(name) ?? {
        kind: 'unchanged',
        outcome: 'not configured',
      },
    onRetryScheduled: (name, delayMs, attempt) => {
      const message = `${name}: failure ${attempt} in a row; trying again in ${formatDelay(delayMs)} or on the next change`;
      log.event('retry-scheduled', message, { name, delayMs, attempt });
    },
  });
  const router = createEventRouter({
    statePath: context.statePath,
    session,
    log,
    queue,
    exclusive,
    debounceMs: options.debounceMs,
    only: context.only,
  });
  /** The catch-up pass: changes seen meanwhile wait, then every import's verdict seeds its queue entry. */
  const runInitialPass = async (): Promise<void> => {
    queue.pause();
    try {
      const verdicts = await exclusive(() => runWatchPass(deps, context.only));
      for (const [name, verdict] of verdicts) queue.report(name, verdict);
    } finally {
      queue.resume();
    }
  };
  return { session, queue, router, runInitialPass };
}

/** One pass at a time: passes share the state and the client, and a pass may also run an import's dependencies. */
function createMutex(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const result = tail.then(task);
    tail = result.catch(() => undefined);
    return result;
  };
}
