// NDJSON on stdout, one object per line, each with `type` and `version`: what a machine (or a log shipper) reads.
import { renderDiagnosticJson } from './render-diagnostics.js';
import { renderPlanNdjson } from './render-plan.js';
import type { Reporter, ReporterOptions } from './reporter.js';

export function createJsonReporter(options: ReporterOptions): Reporter {
  const { stdout, stderr } = options;
  const line = (value: Record<string, unknown>) => {
    const time = options.timestamps ? { time: options.timestamps() } : {};
    stdout.write(`${JSON.stringify({ ...value, ...time, version: 1 })}\n`);
  };
  return {
    diagnostics(list) {
      for (const d of options.quiet ? list.filter((x) => x.severity === 'error') : list)
        stdout.write(renderDiagnosticJson(d));
    },
    plan(plan, { continued }) {
      stdout.write(renderPlanNdjson(plan, continued));
    },
    event(event) {
      switch (event.type) {
        case 'warning':
          // stdout stays pure NDJSON of the run; a warning is for the person watching.
          stderr.write(`warning: ${event.message}\n`);
          return;
        case 'config-loaded':
          return;
        case 'watch': {
          const time = options.timestamps?.() ?? new Date().toISOString();
          stdout.write(
            `${JSON.stringify({ type: 'watch', event: event.event, time, message: event.message, ...event.fields, version: 1 })}\n`,
          );
          return;
        }
        case 'status':
          line({ type: 'status', ...event.row });
          return;
        default:
          line({ ...event });
      }
    },
    summary(summary) {
      if (summary.type === 'apply-summary') line({ type: 'summary', command: 'apply', ...summary.summary });
      else {
        const { type: _type, ...rest } = summary;
        line({ type: 'summary', command: 'validate', ...rest });
      }
    },
  };
}
