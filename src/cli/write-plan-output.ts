// Writes a plan and its diagnostics in the chosen format: text, NDJSON, or GitHub annotations + step summary.
import type { Diagnostic } from '../core/diagnostic.js';
import type { Plan } from '../plan/types.js';
import type { CommandContext } from './context.js';
import { renderDiagnosticsMarkdown, writeDiagnostics } from './reporters/diagnostics.js';
import { renderPlanMarkdown, renderPlanNdjson, renderPlanText } from './reporters/plan.js';
import { appendStepSummary } from './reporters/step-summary.js';

export function writePlanOutput(ctx: CommandContext<unknown>, plan: Plan, diagnostics: Diagnostic[]): void {
  const { format, color, quiet, verbose } = ctx.global;
  if (format === 'json') {
    writeDiagnostics(ctx.io.stdout, diagnostics, 'json', { color: false, quiet });
    ctx.io.stdout.write(renderPlanNdjson(plan));
    return;
  }
  writeDiagnostics(ctx.io.stderr, diagnostics, format, { color, quiet });
  ctx.io.stdout.write(renderPlanText(plan, { color, verbose }));
  if (format === 'github') {
    const problems = renderDiagnosticsMarkdown(diagnostics);
    appendStepSummary(ctx.env, `## copernica-sync plan\n\n${renderPlanMarkdown(plan)}\n${problems}`);
  }
}
