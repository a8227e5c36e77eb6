// `watch`: lock → start watching → catch-up pass → react to changes → on a signal, drain, write state, release.
import { CopernicaSyncError } from '../core/errors.js';
import { EXIT, type ExitCode } from '../core/exit-codes.js';
import { type Reporter, reportTo } from '../report/reporter.js';
import type { RunOptions } from '../run/options.js';
import { openSession, type Session } from '../run/session.js';
import { createEventRouter } from './event-router.js';
import { type HealthServer, startHealthServer } from './health-server.js';
import { createImportQueue, exponentialBackoff, type RunVerdict } from './import-queue.js';
import { drainAndStop } from './shutdown.js';
import { createWatchLog, formatDelay, messageOf, type WatchLog } from './watch-log.js';
import { type PassDeps, runWatchPass } from './watch-pass.js';
import { buildStatus } from './watch-status.js';
import { type SourceWatcher, startWatcher } from './watcher.js';

/** What the caller (the CLI) hands over: where things are, and the reporter every line goes through. */
export interface WatchContext {
  run: Omit<RunOptions, 'signal' | 'onEvent'>;
  /** --state, which overrides imports.yaml's `state:` across reloads. */
  statePath: string | undefined;
  only: string[] | undefined;
  reporter: Reporter;
  verbose: boolean;
  /** Aborted on the first SIGINT/SIGTERM: watching stops and running imports get the grace time. */
  signal: AbortSignal;
}

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
}

export async function runWatchSession(context: WatchContext, options: WatchOptions): Promise<ExitCode> {
  // Aborted only when the shutdown grace time is over, not on the first signal.
  const passAbort = new AbortController();
  const session = await openSession(
    { ...context.run, signal: passAbort.signal, onEvent: reportTo(context.reporter) },
    { lockFor: 'watch' },
  );
  const log = createWatchLog(context.reporter);
  const closers: Array<() => Promise<void>> = [];
  try {
    context.reporter.diagnostics(session.configDiagnostics);
    const runtime = createWatchRuntime(context, options, session, log);
    await watchUntilSignal(context, options, runtime, log, closers, passAbort);
  } finally {
    // On an unexpected error too: nothing may keep the process alive, and the lock must go.
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await session.close();
  }
  log.event('stopped', 'watch: stopped; state written, lock released');
  return EXIT.ok;
}

const NOT_CONFIGURED: RunVerdict = { kind: 'unchanged', outcome: 'not configured' };

type WatchRuntime = ReturnType<typeof createWatchRuntime>;

/** The pass deps, the per-import queue and the event router, around one session. */
function createWatchRuntime(context: WatchContext, options: WatchOptions, session: Session, log: WatchLog) {
  const { allowDestructive, allowOutside, waitTimeoutMs, debounceMs } = options;
  const { statePath, only } = context;
  const passOptions = { allowDestructive, allowOutside, wait: true, waitTimeoutMs };
  const deps: PassDeps = { session, options: passOptions, log, verbose: context.verbose };
  const exclusive = createMutex();
  const pass = (names: string[] | undefined) => exclusive(() => runWatchPass(deps, names));
  const queue = createImportQueue({
    debounceMs,
    backoffMs: exponentialBackoff(options.backoffBaseMs, options.backoffMaxMs),
    run: async (name) => (await pass([name])).get(name) ?? NOT_CONFIGURED,
    onRetryScheduled: (name, delayMs, attempt) => {
      const message = `${name}: failure ${attempt} in a row; trying again in ${formatDelay(delayMs)} or on the next change`;
      log.event('retry-scheduled', message, { name, delayMs, attempt });
    },
  });
  const router = createEventRouter({ statePath, only, session, log, queue, exclusive, debounceMs });
  /** The catch-up pass: changes seen meanwhile wait, then every import's verdict seeds its queue entry. */
  const runInitialPass = async (): Promise<void> => {
    queue.pause();
    try {
      const verdicts = await pass(only);
      for (const [name, verdict] of verdicts) queue.report(name, verdict);
    } finally {
      queue.resume();
    }
  };
  return { session, queue, router, runInitialPass };
}

async function watchUntilSignal(
  context: WatchContext,
  options: WatchOptions,
  runtime: WatchRuntime,
  log: WatchLog,
  closers: Array<() => Promise<void>>,
  passAbort: AbortController,
): Promise<void> {
  const { router, queue, session } = runtime;
  const env = session.env;
  const watcher = await startWatcher(router.targets(), {
    poll: options.poll || isTruthy(env.CHOKIDAR_USEPOLLING),
    ...(env.CHOKIDAR_INTERVAL ? { intervalMs: Number(env.CHOKIDAR_INTERVAL) } : {}),
    stabilityMs: options.stabilityMs,
    onEvent: router.onFileEvent,
    onError: (error) => log.problem('watch-error', `watcher error: ${messageOf(error)}`),
  });
  closers.push(() => watcher.close());
  router.attach(watcher);
  const health = await startHealth(options, runtime, watcher);
  if (health) closers.push(() => health.close());
  const initial = runtime.runInitialPass().catch((error: unknown) => {
    log.problem('error', `start-up pass: E_INTERNAL ${messageOf(error)}`);
  });
  const stopped = new Promise<void>((resolve) => {
    if (context.signal.aborted) resolve();
    context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await Promise.race([initial, stopped]);
  if (!context.signal.aborted) logReady(log, runtime, watcher, health);
  await stopped;
  await drainAndStop({ log, queue, router, watcher, initial, passAbort, writer: session.writer }, options);
}

async function startHealth(options: WatchOptions, runtime: WatchRuntime, watcher: SourceWatcher) {
  if (options.healthPort === undefined) return undefined;
  const { router, session, queue } = runtime;
  const healthy = () => ({
    ok: router.configValid() && watcher.running,
    reason: router.configValid() ? 'the watcher is stopped' : 'imports.yaml is invalid',
  });
  try {
    const status = () => buildStatus({ session, queue, router, watcher });
    return await startHealthServer(options.healthHost, options.healthPort, { healthy, status });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const message = `cannot serve health on ${options.healthHost}:${options.healthPort} (${code})`;
    const hint = 'choose another --health-port (0 picks a free one) or --health-host';
    throw new CopernicaSyncError('E_HEALTH_PORT', message, { hint });
  }
}

/** The line tests and supervisors wait for: printed once the catch-up pass is done and the watcher runs. */
function logReady(log: WatchLog, runtime: WatchRuntime, watcher: SourceWatcher, health?: HealthServer) {
  const { roots, bases } = runtime.router.targets();
  const names = runtime.session.config.imports.map((d) => d.name);
  const polling = watcher.polling ? ' (polling)' : '';
  const at = health ? `; health at ${health.url}/healthz` : '';
  const message = `watch: ready, watching ${names.length} imports under ${roots.length + bases.length} paths`;
  const fields = { imports: names, polling: watcher.polling, ...(health ? { health: health.url } : {}) };
  log.event('ready', `${message}${polling}${at}`, fields);
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
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
