// /status: the config, the watcher, and per import its phase, last outcome, last run and pending changes.
import type { Session } from '../run/session.js';
import type { EventRouter } from './event-router.js';
import type { ImportQueue } from './import-queue.js';

export interface StatusInput {
  session: Session;
  queue: ImportQueue;
  router: Pick<EventRouter, 'configValid' | 'targets' | 'lastReloadAt'>;
  watcher: { running: boolean };
}

export function buildStatus(input: StatusInput) {
  const known = new Map(input.queue.status().map((s) => [s.name, s]));
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const reload = input.router.lastReloadAt();
  const state = input.session.writer.current;
  return {
    version: 1,
    config: { file: input.session.config.file, valid: input.router.configValid(), lastReloadAt: iso(reload) },
    watching: input.watcher.running,
    paths: input.router.targets().bases,
    imports: input.session.config.imports.map((def) => {
      const s = known.get(def.name);
      // Runs from before this watch started are in the state: what a supervisor wants to see first.
      const entry = state.imports[def.name];
      return {
        name: def.name,
        source: def.source.kind,
        phase: s?.phase ?? 'idle',
        lastOutcome:
          (s?.lastOutcome === 'unchanged' ? undefined : s?.lastOutcome) ??
          entry?.outcome ??
          s?.lastOutcome ??
          null,
        lastRun: s?.lastRunAt === undefined ? (entry?.appliedAt ?? null) : iso(s.lastRunAt),
        importId: entry?.importId ?? null,
        pendingChanges: s?.pendingChanges ?? 0,
        queued: s?.queued ?? false,
        failures: s?.failures ?? 0,
        nextRetryAt: iso(s?.nextRetryAt),
      };
    }),
  };
}
