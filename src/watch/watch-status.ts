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

export function buildStatus({ session, queue, router, watcher }: StatusInput) {
  const known = new Map(queue.status().map((s) => [s.name, s]));
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const state = session.writer.current;
  const reloadedAt = iso(router.lastReloadAt());
  return {
    version: 1,
    config: { file: session.config.file, valid: router.configValid(), lastReloadAt: reloadedAt },
    watching: watcher.running,
    paths: router.targets().bases,
    imports: session.config.imports.map((def) => {
      const s = known.get(def.name);
      // Runs from before this watch started are in the state: what a supervisor wants to see first.
      const entry = state.imports[def.name];
      // "unchanged" only says a touch changed nothing: a real outcome, here or in the state, shows first.
      const real = s?.lastOutcome === 'unchanged' ? undefined : s?.lastOutcome;
      return {
        name: def.name,
        source: def.source.kind,
        phase: s?.phase ?? 'idle',
        lastOutcome: real ?? entry?.outcome ?? s?.lastOutcome ?? null,
        lastRun: s?.lastRunAt === undefined ? (entry?.appliedAt ?? null) : iso(s.lastRunAt),
        importId: entry?.importId ?? null,
        rowChanges: s?.rowChanges ?? null,
        pendingChanges: s?.pendingChanges ?? 0,
        queued: s?.queued ?? false,
        failures: s?.failures ?? 0,
        nextRetryAt: iso(s?.nextRetryAt),
      };
    }),
  };
}
