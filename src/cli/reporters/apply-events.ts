// Renders apply events: plain lines (text), NDJSON (json), or a redrawn progress line on a terminal.
import type { Writable } from 'node:stream';
import type { ApplyEvent } from '../../apply/events.js';
import { countOf } from '../../core/plural.js';
import type { OutputFormat } from '../context.js';
import { renderDiagnosticGithub } from './diagnostics.js';
import { createPaint } from './paint.js';

export interface ApplyReporterOptions {
  format: OutputFormat;
  color: boolean;
  /** stderr is a terminal: progress may be redrawn in place. */
  isTTY: boolean;
  quiet: boolean;
  /** Prefix every line with an ISO timestamp (watch mode). */
  timestamps?: () => string;
}

export function createApplyReporter(out: Writable, err: Writable, options: ApplyReporterOptions) {
  const paint = createPaint(options.color);
  let progressShown = false;
  const stamp = () => (options.timestamps ? `${options.timestamps()} ` : '');
  const clearProgress = () => {
    if (progressShown) err.write('\r\u001b[2K');
    progressShown = false;
  };
  return (event: ApplyEvent): void => {
    if (options.format === 'json') {
      out.write(`${JSON.stringify({ ...withTime(event, options), version: 1 })}\n`);
      return;
    }
    if (event.type === 'upload-progress' || event.type === 'import-progress') {
      if (!options.isTTY || options.quiet) return;
      err.write(`\r\u001b[2K${renderProgress(event)}`);
      progressShown = true;
      return;
    }
    clearProgress();
    const line = renderEventLine(event, paint);
    if (line && !(options.quiet && event.type !== 'import-finished')) out.write(`${stamp()}${line}\n`);
    if (options.format === 'github') annotateFailure(out, event); // the Actions runner reads workflow commands from stdout
  };
}

/** GitHub: a failed import becomes an error annotation on the run, like the plan's problems. */
function annotateFailure(err: Writable, event: ApplyEvent): void {
  if (event.type !== 'import-finished' || event.outcome === 'succeeded' || event.outcome === 'submitted')
    return;
  const message = `${event.name}: ${event.outcome}${event.message ? `: ${event.message}` : ''}`;
  err.write(
    renderDiagnosticGithub({
      severity: 'error',
      code: event.code ?? 'E_IMPORT_FAILED',
      message,
      importName: event.name,
      ...(event.hint ? { hint: event.hint } : {}),
    }),
  );
}

function withTime(event: ApplyEvent, options: ApplyReporterOptions): ApplyEvent & { time?: string } {
  return options.timestamps ? { ...event, time: options.timestamps() } : event;
}

function renderProgress(event: Extract<ApplyEvent, { type: 'upload-progress' | 'import-progress' }>): string {
  if (event.type === 'upload-progress') return `${event.name}: uploaded ${formatBytes(event.bytes)}`;
  const share = event.total > 0 ? ` ${Math.floor((100 * event.processed) / event.total)}%` : '';
  return `${event.name}: import ${event.id} ${event.status}${share}`;
}

export function renderEventLine(
  event: ApplyEvent,
  paint: ReturnType<typeof createPaint>,
): string | undefined {
  switch (event.type) {
    case 'import-start':
      return `${event.name}: ${event.action} ${countOf(event.rows, 'row')} into database ${event.database}${event.file ? ` from ${event.file}` : ''}`;
    case 'import-created':
      return `${event.name}: created Copernica import ${event.id}${event.file ? ` (${event.file})` : ''}`;
    case 'import-finished': {
      const took = `${(event.durationMs / 1000).toFixed(1)}s`;
      const of = event.file ? ` (${event.file})` : '';
      if (event.outcome === 'succeeded') return `${paint.green('✓')} ${event.name}: finished in ${took}${of}`;
      if (event.outcome === 'submitted') return `${paint.green('✓')} ${event.name}: submitted (not waiting)`;
      const head =
        `${paint.red('✗')} ${event.name}: ${event.outcome} ${event.code ?? ''} ${event.message ?? ''}`.trimEnd();
      return event.hint ? `${head}\n  hint: ${event.hint}` : head;
    }
    case 'import-skipped':
      return `${paint.yellow('-')} ${event.name}: skipped (${event.because === 'interrupted' ? 'interrupted' : `depends on ${event.because}, which did not succeed`})`;
    case 'retry':
      return `${event.name ? `${event.name}: ` : ''}${event.message}; retrying in ${(event.delayMs / 1000).toFixed(1)}s`;
    default:
      return undefined;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
