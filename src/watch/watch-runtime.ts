// Builds what a watch session runs on: the state writer, the pass context, the per-import queue and the router.
import type { ApplyOptions, ApplySession } from '../cli/apply-flow.js';
import type { CommandContext } from '../cli/context.js';
import { writeDiagnostics } from '../cli/reporters/diagnostics.js';
import type { SyncConfig } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { loadState } from '../state/state-store.js';
import { createStateWriter } from '../state/state-writer.js';
import { createEventRouter } from './event-router.js';
import { formatDelay } from './format-delay.js';
import { createImportQueue, exponentialBackoff, realTimers, type Timers } from './import-queue.js';
import { createMutex } from './mutex.js';
import { createPassContext } from './pass-context.js';
import type { WatchLog } from './watch-log.js';
import { type PassDeps, runWatchPass } from './watch-pass.js';
import type { WatchOptions } from './watch-session.js';
import { buildWatchTargets } from './watch-targets.js';

export type WatchRuntime = Awaited<ReturnType<typeof createWatchRuntime>>;

export async function createWatchRuntime(
  ctx: CommandContext<unknown>,
  options: WatchOptions,
  config: SyncConfig,
  log: WatchLog,
) {
  const writeProblems = (list: Diagnostic[]) =>
    writeDiagnostics(ctx.global.format === 'json' ? ctx.io.stdout : ctx.io.stderr, list, ctx.global.format, {
      color: ctx.global.color,
      quiet: false,
    });
  const writer = createStateWriter(config.statePath, await loadState(config.statePath));
  // Config warnings were printed once at start, not again on every pass.
  const session: ApplySession = { config, configDiagnostics: [], env: ctx.env, writer };
  // Aborted only when the shutdown grace time is over, not on the first signal.
  const passAbort = new AbortController();
  const deps: PassDeps = {
    ...createPassContext(ctx, passAbort.signal),
    session,
    options: toApplyOptions(options),
    log,
    verbose: ctx.global.verbose,
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
        {
          name,
          delayMs,
          attempt,
        },
      ),
  });
  const router = createEventRouter({
    ctx,
    statePath: ctx.global.state,
    session,
    log,
    queue,
    mutex,
    timers,
    debounceMs: options.debounceMs,
    writeProblems,
    targets: buildWatchTargets(config),
    ...(ctx.global.only ? { only: ctx.global.only } : {}),
  });
  /** The catch-up pass: changes seen meanwhile wait, then every import's verdict seeds its queue entry. */
  const runInitialPass = async (): Promise<void> => {
    queue.pause();
    try {
      const verdicts = await mutex.run(() => runWatchPass(deps, ctx.global.only));
      for (const [name, verdict] of verdicts) queue.report(name, verdict);
    } finally {
      queue.resume();
    }
  };
  return { session, writer, passAbort, queue, router, timers, writeProblems, runInitialPass };
}

function toApplyOptions(options: WatchOptions): ApplyOptions {
  return {
    force: false,
    dryRun: false,
    allowDestructive: options.allowDestructive,
    allowOutside: options.allowOutside,
    wait: true,
    waitTimeoutMs: options.waitTimeoutMs,
  };
}
