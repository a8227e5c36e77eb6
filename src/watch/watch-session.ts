// `watch`: lock → start watching → catch-up pass → react to changes → on a signal, drain, write state, release.
import type { ApplyOptions, ApplySession } from '../cli/apply-flow.js';
import type { CommandContext } from '../cli/context.js';
import { writeDiagnostics } from '../cli/reporters/diagnostics.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { EXIT, type ExitCode } from '../core/exit-codes.js';
import { loadValidConfig } from '../pipeline/prepare-plan.js';
import { acquireLock } from '../state/lock.js';
import { loadState } from '../state/state-store.js';
import { createStateWriter } from '../state/state-writer.js';
import { createEventRouter } from './event-router.js';
import { formatDelay } from './format-delay.js';
import { startHealthServer } from './health-server.js';
import { createImportQueue, exponentialBackoff, realTimers, type Timers } from './import-queue.js';
import { createMutex } from './mutex.js';
import { createPassContext } from './pass-context.js';
import { drainAndStop } from './shutdown.js';
import { createWatchLog } from './watch-log.js';
import { type PassDeps, runWatchPass } from './watch-pass.js';
import { buildStatus } from './watch-status.js';
import { buildWatchTargets } from './watch-targets.js';
import { startWatcher } from './watcher.js';

export interface WatchOptions {
  debounceMs: number;
  poll: boolean;
  healthPort?: number;
  healthHost: string;
  allowDestructive: boolean;
  allowOutside: boolean;
  waitTimeoutMs: number;
  /** How long in-flight imports may take to finish after a signal. */
  shutdownTimeoutMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** awaitWriteFinish's stability threshold. */
  stabilityMs: number;
  timers?: Timers;
}

export async function runWatchSession(
  ctx: CommandContext<unknown>,
  options: WatchOptions,
): Promise<ExitCode> {
  const statePath = ctx.global.state;
  const loaded = await loadValidConfig({
    configPath: ctx.global.config,
    cwd: ctx.cwd,
    env: ctx.env,
    ...(statePath ? { statePath } : {}),
  });
  const log = createWatchLog(ctx.io.stdout, ctx.io.stderr, ctx.global.format);
  const warn = (message: string) => log.problem('warning', `warning: ${message}`);
  const lock = await acquireLock(loaded.config.statePath, { command: 'watch', onWarning: warn });
  try {
    const writeProblems = (list: Diagnostic[]) =>
      writeDiagnostics(
        ctx.global.format === 'json' ? ctx.io.stdout : ctx.io.stderr,
        list,
        ctx.global.format,
        { color: ctx.global.color, quiet: false },
      );
    writeProblems(loaded.diagnostics);
    const writer = createStateWriter(loaded.config.statePath, await loadState(loaded.config.statePath));
    // Config warnings print once here, not again on every pass.
    const session: ApplySession = { config: loaded.config, configDiagnostics: [], env: ctx.env, writer };
    const passAbort = new AbortController();
    const applyOptions: ApplyOptions = {
      force: false,
      dryRun: false,
      allowDestructive: options.allowDestructive,
      allowOutside: options.allowOutside,
      wait: true,
      waitTimeoutMs: options.waitTimeoutMs,
    };
    const pass = createPassContext(ctx, passAbort.signal);
    const deps: PassDeps = {
      ...pass,
      session,
      options: applyOptions,
      log,
      verbose: ctx.global.verbose,
      writeProblems,
    };
    const mutex = createMutex();
    const timers = options.timers ?? realTimers;
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
      statePath,
      session,
      log,
      queue,
      mutex,
      timers,
      debounceMs: options.debounceMs,
      writeProblems,
      targets: buildWatchTargets(loaded.config),
    });
    const watcher = await startWatcher(router.targets(), {
      poll: options.poll || isTruthy(ctx.env.CHOKIDAR_USEPOLLING),
      ...(ctx.env.CHOKIDAR_INTERVAL ? { intervalMs: Number(ctx.env.CHOKIDAR_INTERVAL) } : {}),
      stabilityMs: options.stabilityMs,
      onEvent: router.onFileEvent,
      onError: (error) => log.problem('watch-error', `watcher error: ${error.message}`),
    });
    router.attach(watcher);
    const health =
      options.healthPort === undefined
        ? undefined
        : await startHealthServer(options.healthHost, options.healthPort, {
            healthy: () => ({
              ok: router.configValid() && watcher.running,
              reason: router.configValid() ? 'watcher stopped' : 'imports.yaml is invalid',
            }),
            status: () => buildStatus({ session, queue, router, watcher, timers }),
          });
    queue.pause();
    const initial = mutex
      .run(() => runWatchPass(deps))
      .then((verdicts) => {
        for (const [name, verdict] of verdicts) queue.report(name, verdict);
        queue.resume();
      });
    const stopped = new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([initial, stopped]);
    if (!ctx.signal.aborted) {
      const t = router.targets();
      log.event(
        'ready',
        `watch: ready, watching ${session.config.imports.length} imports under ${t.roots.length + t.bases.length} paths${health ? `; health at ${health.url}/healthz` : ''}`,
        {
          imports: session.config.imports.map((d) => d.name),
          ...(health ? { health: health.url } : {}),
        },
      );
    }
    await stopped;
    await drainAndStop({
      log,
      queue,
      router,
      watcher,
      initial,
      passAbort,
      writer,
      shutdownTimeoutMs: options.shutdownTimeoutMs,
    });
    await health?.close();
    log.event('stopped', 'watch: stopped; state written, lock released');
    return EXIT.ok;
  } finally {
    await lock.release();
  }
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
