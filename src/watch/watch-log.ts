// Watch mode's own lines (ready, a file changed, refused, stopping…) and diagnostics, through the run's reporter.
import type { Diagnostic } from '../core/diagnostic.js';
import type { Reporter } from '../report/reporter.js';

export interface WatchLog {
  /** `event` is a stable machine name (ready, file, refused…); `message` the human line. */
  event(event: string, message: string, fields?: Record<string, unknown>): void;
  /** Same as event, on stderr in text mode. */
  problem(event: string, message: string, fields?: Record<string, unknown>): void;
  /** Problems with imports.yaml or an import, printed as every command prints them. */
  diagnostics(list: readonly Diagnostic[]): void;
}

export function createWatchLog(reporter: Reporter): WatchLog {
  return {
    event: (event, message, fields = {}) => reporter.event({ type: 'watch', event, message, fields }),
    problem: (event, message, fields = {}) =>
      reporter.event({ type: 'watch', event, message, fields, problem: true }),
    diagnostics: (list) => reporter.diagnostics(list),
  };
}

/** Delays as people read them in log lines: 300 ms, 1.5 s, 2 min. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}

/** An error's message without its stack, for a log line. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
