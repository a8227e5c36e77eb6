// The human format: problems and warnings on stderr, the plan, events and summary on stdout; -q keeps only
// problems and the one summary line.
import type { Writable } from 'node:stream';
import { countOf } from '../core/plural.js';
import { createLineWriter } from './line-writer.js';
import { createPaint } from './paint.js';
import {
  isFailure,
  isProgress,
  renderApplySummary,
  renderEventLine,
  renderProgress,
} from './render-apply.js';
import { renderDiagnosticText } from './render-diagnostics.js';
import { renderPlanText, renderSummaryLine } from './render-plan.js';
import { isStatusProblem, renderStatusRow } from './render-status.js';
import type { Reporter, ReporterOptions } from './reporter.js';

export interface TextReporterOptions extends ReporterOptions {
  /** Where diagnostics go (GitHub reads annotations from stdout). */
  problems?: Writable;
}

export function createTextReporter(options: TextReporterOptions): Reporter {
  const paint = createPaint(options.color);
  const write = createLineWriter(options.timestamps);
  const { stdout, stderr, quiet } = options;
  const progress = createProgressLine(stderr, options.isTTY && !quiet && !options.timestamps);
  const say = (stream: Writable, text: string) => {
    progress.clear();
    write(stream, text);
  };
  return {
    diagnostics(list) {
      const shown = quiet ? list.filter((d) => d.severity === 'error') : list;
      for (const d of shown)
        say(options.problems ?? stderr, renderDiagnosticText(d, options.color).trimEnd());
    },
    plan(plan, { continued }) {
      if (!quiet)
        say(stdout, renderPlanText(plan, { color: options.color, verbose: options.verbose }).trimEnd());
      else if (!continued) say(stdout, renderSummaryLine(plan));
    },
    event(event) {
      switch (event.type) {
        case 'warning':
          say(stderr, `warning: ${event.message}`);
          return;
        case 'watch':
          if (!quiet || event.problem) say(event.problem ? stderr : stdout, event.message);
          return;
        case 'status':
          if (!quiet || isStatusProblem(event.row)) say(stdout, renderStatusRow(event.row, paint));
          return;
        case 'config-loaded':
          return;
        default: {
          if (isProgress(event)) {
            progress.show(renderProgress(event));
            return;
          }
          const line = renderEventLine(event, paint);
          const problem = isFailure(event) || event.type === 'import-skipped';
          if (line && (!quiet || problem)) say(stdout, line);
        }
      }
    },
    summary(summary) {
      if (summary.type === 'apply-summary') say(stdout, renderApplySummary(summary.summary));
      else say(stdout, renderValidateSummary(summary));
    },
  };
}

/** `imports.yaml: 4 imports valid, 1 warning` or `imports.yaml: 2 errors`. */
export function renderValidateSummary(s: {
  file: string;
  imports: number | null;
  errors: number;
  warnings: number;
}): string {
  const warnings = s.warnings > 0 ? `, ${countOf(s.warnings, 'warning')}` : '';
  if (s.imports !== null) return `${s.file}: ${countOf(s.imports, 'import')} valid${warnings}`;
  return `${s.file}: ${countOf(s.errors, 'error')}${warnings}`;
}

/** On a terminal, upload and import progress is one line redrawn on stderr. */
function createProgressLine(stderr: Writable, enabled: boolean): { show(text: string): void; clear(): void } {
  let shown = false;
  return {
    show(text) {
      if (!enabled) return;
      stderr.write(`\r\u001b[2K${text}`);
      shown = true;
    },
    clear() {
      if (shown) stderr.write('\r\u001b[2K');
      shown = false;
    },
  };
}
