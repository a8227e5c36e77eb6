// GitHub Actions: text on stdout (the runner reads workflow commands there), `::error` annotations for the
// first problems and failed imports, Markdown tables in $GITHUB_STEP_SUMMARY, and `::add-mask::` for the token.

import type { Diagnostic } from '../core/diagnostic.js';
import { isFailure, renderApplyMarkdown } from './render-apply.js';
import {
  GITHUB_ANNOTATION_LIMIT,
  renderDiagnosticGithub,
  renderDiagnosticsMarkdown,
  renderDiagnosticText,
} from './render-diagnostics.js';
import { renderPlanMarkdown } from './render-plan.js';
import type { Reporter, ReporterOptions } from './reporter.js';
import { appendStepSummary } from './step-summary.js';
import { createTextReporter } from './text.js';

export function createGithubReporter(options: ReporterOptions): Reporter {
  const text = createTextReporter({ ...options, problems: options.stdout });
  const { stdout, env } = options;
  let problems: readonly Diagnostic[] = [];
  return {
    diagnostics(list) {
      problems = options.quiet ? list.filter((d) => d.severity === 'error') : list;
      for (const d of problems.slice(0, GITHUB_ANNOTATION_LIMIT)) stdout.write(renderDiagnosticGithub(d));
      for (const d of problems.slice(GITHUB_ANNOTATION_LIMIT)) stdout.write(renderDiagnosticText(d, false));
    },
    plan(next, context) {
      text.plan(next, context);
      appendStepSummary(env, `${renderPlanMarkdown(next)}\n${renderDiagnosticsMarkdown(problems)}`);
    },
    event(event) {
      if (event.type === 'config-loaded') {
        const token = env[event.tokenEnv];
        if (token) stdout.write(`::add-mask::${token}\n`);
        return;
      }
      text.event(event);
      if (!isFailure(event)) return;
      const message = `${event.name}: ${event.outcome}${event.message ? `: ${event.message}` : ''}`;
      stdout.write(
        renderDiagnosticGithub({
          severity: 'error',
          code: event.code ?? 'E_IMPORT_FAILED',
          message,
          importName: event.name,
          ...(event.hint ? { hint: event.hint } : {}),
        }),
      );
    },
    summary(summary) {
      text.summary(summary);
      if (summary.type === 'apply-summary') {
        appendStepSummary(env, renderApplyMarkdown(summary.results, summary.summary));
        return;
      }
      const heading = `### copernica-sync validate: ${summary.file}\n\n`;
      appendStepSummary(
        env,
        problems.length > 0 ? heading + renderDiagnosticsMarkdown(problems) : `${heading}valid\n`,
      );
    },
  };
}
