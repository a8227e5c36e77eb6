// One Reporter interface, chosen once per run (text, json or github), used by every command and by watch.
import type { Writable } from 'node:stream';
import type { Diagnostic } from '../core/diagnostic.js';
import type { Plan } from '../plan/types.js';
import type { RunEvent } from '../run/events.js';
import { createGithubReporter } from './github.js';
import { createJsonReporter } from './json.js';
import { createTextReporter } from './text.js';

export type OutputFormat = 'text' | 'json' | 'github';

/** A line of watch mode: `event` is a stable machine name (ready, file, refused…), `message` the human line. */
export interface WatchEvent {
  type: 'watch';
  event: string;
  message: string;
  /** Printed on stderr in text: something went wrong. */
  problem?: boolean;
  fields?: Record<string, unknown>;
}

type SummaryEvent = Extract<RunEvent, { type: 'apply-summary' | 'validate-summary' }>;
export type ReportEvent = Exclude<RunEvent, { type: 'diagnostics' | 'plan' } | SummaryEvent> | WatchEvent;

export interface Reporter {
  diagnostics(list: readonly Diagnostic[]): void;
  plan(plan: Plan, options: { continued: boolean }): void;
  event(event: ReportEvent): void;
  summary(summary: SummaryEvent): void;
}

export interface ReporterOptions {
  format: OutputFormat;
  stdout: Writable;
  stderr: Writable;
  color: boolean;
  quiet: boolean;
  verbose: boolean;
  /** stderr is a terminal: progress may be redrawn in place. */
  isTTY: boolean;
  /** For GitHub's step summary ($GITHUB_STEP_SUMMARY) and token mask. */
  env: NodeJS.ProcessEnv;
  /** Watch: every line and event carries the time. */
  timestamps?: () => string;
}

export function createReporter(options: ReporterOptions): Reporter {
  if (options.format === 'json') return createJsonReporter(options);
  if (options.format === 'github') return createGithubReporter(options);
  return createTextReporter(options);
}

/** A run's onEvent for this reporter. */
export function reportTo(reporter: Reporter): (event: RunEvent) => void {
  return (event) => {
    if (event.type === 'diagnostics') reporter.diagnostics(event.diagnostics);
    else if (event.type === 'plan') reporter.plan(event.plan, { continued: event.continued });
    else if (event.type === 'apply-summary' || event.type === 'validate-summary') reporter.summary(event);
    else reporter.event(event);
  };
}
