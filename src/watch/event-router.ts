// Routes file events: imports.yaml → a debounced reload; a source file → its imports' queues; the rest → nothing.
import { relative } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import type { Session } from '../run/session.js';
import { reloadConfig } from './config-reload.js';
import { createImportQueue, type ImportQueue, type RunVerdict, type Timers } from './import-queue.js';
import type { Mutex } from './mutex.js';
import type { WatchLog } from './watch-log.js';
import { buildWatchTargets, type WatchTargets } from './watch-targets.js';
import type { FileEvent, SourceWatcher } from './watcher.js';

export interface RouterInput {
  /** --state, which overrides imports.yaml's `state:`. */
  statePath: string | undefined;
  session: Session;
  log: WatchLog;
  queue: ImportQueue;
  mutex: Mutex;
  timers: Timers;
  debounceMs: number;
  writeProblems: (list: readonly Diagnostic[]) => void;
  targets: WatchTargets;
  /** --only: the imports this watcher runs; changes to others are ignored. */
  only?: string[];
}

const CONFIG_KEY = 'imports.yaml';

export function createEventRouter(input: RouterInput) {
  const { log, queue, session } = input;
  let targets = input.targets;
  let valid = true;
  let lastReloadAt: number | undefined;
  let watcher: SourceWatcher | undefined;

  const reload = async (): Promise<RunVerdict> => {
    const result = await reloadConfig({
      configPath: targets.configFile,
      statePath: input.statePath,
      session,
      log,
      writeProblems: input.writeProblems,
    });
    if (!result.valid) {
      valid = false;
      return { kind: 'waiting', outcome: 'invalid' };
    }
    valid = true;
    lastReloadAt = input.timers.now();
    targets = buildWatchTargets(result.config);
    watcher?.retarget(targets);
    for (const name of result.removed) queue.forget(name);
    const names = result.config.imports.map((d) => d.name).filter(wanted);
    log.event(
      'config-reloaded',
      `imports.yaml reloaded: ${names.length} imports${result.changed ? '; re-planning' : ', no import changed'}`,
      {
        added: result.added,
        removed: result.removed,
        changed: result.changed,
      },
    );
    if (result.changed) for (const name of names) queue.notify(name);
    return { kind: 'ran', outcome: 'reloaded' };
  };

  const configQueue = createImportQueue({
    debounceMs: input.debounceMs,
    backoffMs: () => input.debounceMs,
    timers: input.timers,
    run: () => input.mutex.run(reload),
  });

  const show = (path: string) => relative(session.cwd, path) || path;
  function wanted(name: string): boolean {
    return !input.only || input.only.includes(name);
  }

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
      if (event.path === targets.configFile) {
        log.event('config-change', `${event.kind} ${show(event.path)}`, {
          kind: event.kind,
          path: show(event.path),
        });
        configQueue.notify(CONFIG_KEY);
        return;
      }
      const matched =
        event.kind === 'unlinkDir' ? targets.importsUnder(event.path) : targets.importsFor(event.path);
      const names = matched.filter(wanted);
      if (names.length === 0) return;
      log.event('file', `${event.kind} ${show(event.path)} (${names.join(', ')})`, {
        kind: event.kind,
        path: show(event.path),
        imports: names,
      });
      for (const name of names) queue.notify(name);
    },
  };
}
