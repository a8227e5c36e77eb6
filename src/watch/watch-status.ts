// /status: the config, the watcher, and per import its phase, last outcome, last run and pending changes.
import type { ApplySession } from '../cli/apply-flow.js';
import type { ImportQueue, Timers } from './import-queue.js';
import type { WatchTargets } from './watch-targets.js';

export interface StatusInput {
  session: ApplySession;
  queue: ImportQueue;
  router: { configValid(): boolean; targets(): WatchTargets; lastReloadAt(): number | undefined };
  watcher: { running: boolean };
  timers: Timers;
}

export function buildStatus(input: StatusInput) {
  const known = new Map(input.queue.status().map((s) => [s.name, s]));
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const reload = input.router.lastReloadAt();
  return {
    version: 1,
    config: {
      file: input.session.config.file,
      valid: input.router.configValid(),
      lastReloadAt: iso(reload),
    },
    watching: input.watcher.running,
    paths: input.router.targets().bases,
    imports: input.session.config.imports.map((def) => {
      const s = known.get(def.name);
      return {
        name: def.name,
        source: def.source.kind,
        phase: s?.phase ?? 'idle',
        lastOutcome: s?.lastOutcome ?? null,
        lastRun: iso(s?.lastRunAt),
        pendingChanges: s?.pendingChanges ?? 0,
        queued: s?.queued ?? false,
        failures: s?.failures ?? 0,
        nextRetryAt: iso(s?.nextRetryAt),
      };
    }),
  };
}
