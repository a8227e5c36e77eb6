// Watch mode's own lines (ready, a file changed, refused, stopping…), through the run's reporter.
import type { Reporter } from '../report/reporter.js';

export interface WatchLog {
  /** `event` is a stable machine name (ready, file, refused…); `message` the human line. */
  event(event: string, message: string, fields?: Record<string, unknown>): void;
  /** Same as event, on stderr in text mode. */
  problem(event: string, message: string, fields?: Record<string, unknown>): void;
}

export function createWatchLog(reporter: Reporter): WatchLog {
  return {
    event: (event, message, fields = {}) => reporter.event({ type: 'watch', event, message, fields }),
    problem: (event, message, fields = {}) =>
      reporter.event({ type: 'watch', event, message, fields, problem: true }),
  };
}
