// Routes file events: imports.yaml → a debounced reload; a source file → its imports' queues; the rest → nothing.
import { relative } from 'node:path';
import type { Session } from '../run/session.js';
import { reloadConfig } from './config-reload.js';
import { createImportQueue, type ImportQueue, type RunVerdict } from './import-queue.js';
import type { WatchLog } from './watch-log.js';
import { buildWatchTargets } from './watch-targets.js';
import type { FileEvent, SourceWatcher } from './watcher.js';

export interface RouterInput {
  /** --state, which overrides imports.yaml's `state:`. */
  statePath: string | undefined;
  session: Session;
  log: WatchLog;
  queue: ImportQueue;
  /** Runs a task when no pass is running: a reload swaps the config the passes read. */
  exclusive: <T>(task: () => Promise<T>) => Promise<T>;
  debounceMs: number;
  /** --only: the imports this watcher runs; changes to others are ignored. */
  only: string[] | undefined;
}

export type EventRouter = ReturnType<typeof createEventRouter>;

export function createEventRouter(input: RouterInput) {
  const { log, queue, session } = input;
  let targets = buildWatchTargets(session.config);
  let valid = true;
  let lastReloadAt: number | undefined;
  let watcher: SourceWatcher | undefined;
  const wanted = (name: string) => !input.only || input.only.includes(name);
  const show = (path: string) => relative(session.cwd, path) || path;

  const reload = async (): Promise<RunVerdict> => {
    const result = await reloadConfig(targets.configFile, input.statePath, session, log);
    valid = result.valid;
    if (!result.valid) return { kind: 'waiting', outcome: 'invalid' };
    lastReloadAt = Date.now();
    targets = buildWatchTargets(result.config);
    watcher?.retarget(targets);
    for (const name of result.removed) queue.forget(name);
    const { added, removed, changed } = result;
    const names = result.config.imports.map((d) => d.name).filter(wanted);
    const what = changed ? '; re-planning' : ', no import changed';
    log.event('config-reloaded', `imports.yaml reloaded: ${names.length} imports${what}`, {
      added,
      removed,
      changed,
    });
    if (changed) for (const name of names) queue.notify(name);
    return { kind: 'ran', outcome: 'reloaded' };
  };

  const configQueue = createImportQueue({
    debounceMs: input.debounceMs,
    backoffMs: () => input.debounceMs,
    run: () => input.exclusive(reload),
  });

  return {
    targets: () => targets,
    configValid: () => valid,
    lastReloadAt: () => lastReloadAt,
    attach(w: SourceWatcher) {
      watcher = w;
    },
    stop: () => configQueue.stop(),
    whenIdle: () => configQueue.whenIdle(),
    onFileEvent(event: FileEvent): void {
      if (event.kind === 'addDir') return;
      const path = show(event.path);
      if (event.path === targets.configFile) {
        log.event('config-change', `${event.kind} ${path}`, { kind: event.kind, path });
        configQueue.notify('imports.yaml');
        return;
      }
      const matched =
        event.kind === 'unlinkDir' ? targets.importsUnder(event.path) : targets.importsFor(event.path);
      const imports = matched.filter(wanted);
      if (imports.length === 0) return;
      log.event('file', `${event.kind} ${path} (${imports.join(', ')})`, { kind: event.kind, path, imports });
      for (const name of imports) queue.notify(name);
    },
  };
}
