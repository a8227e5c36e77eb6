// Writes a plan and its diagnostics in the chosen format: text, NDJSON, or GitHub annotations + step summary.
import type { Diagnostic } from '../core/diagnostic.js';
import { planDiagnostics } from '../plan/plan-diagnostics.js';
import type { Plan } from '../plan/types.js';
import type { CommandContext } from './context.js';
import { renderDiagnosticsMarkdown, writeDiagnostics } from './reporters/diagnostics.js';
import { renderPlanMarkdown, renderPlanNdjson, renderPlanText } from './reporters/plan.js';
import { appendStepSummary } from './reporters/step-summary.js';

export interface PlanOutputOptions {
  /** More events follow (apply runs imports): the plan's closing NDJSON event is `plan-summary`, not `summary`. */
  continued?: boolean;
}

export function writePlanOutput(
  ctx: CommandContext<unknown>,
  plan: Plan,
  sourceDiagnostics: Diagnostic[],
  options: PlanOutputOptions = {},
): void {
  const { format, color, quiet, verbose } = ctx.global;
  // Refusals as problems too: the hint says how to pass the guard, and GitHub annotates them.
  const problems = [...sourceDiagnostics, ...planDiagnostics(plan)];
  if (format === 'json') {
    writeDiagnostics(ctx.io.stdout, problems, 'json', { color: false, quiet });
    const ndjson = renderPlanNdjson(plan);
    ctx.io.stdout.write(options.continued ? renamePlanSummary(ndjson) : ndjson);
    return;
  }
  // The Actions runner reads workflow commands (annotations) from stdout.
  writeDiagnostics(format === 'github' ? ctx.io.stdout : ctx.io.stderr, problems, format, {
    color,
    quiet,
  });
  ctx.io.stdout.write(renderPlanText(plan, { color, verbose }));
  if (format === 'github') {
    appendStepSummary(ctx.env, `${renderPlanMarkdown(plan)}\n${renderDiagnosticsMarkdown(problems)}`);
  }
}

/** GitHub Actions: `::add-mask::` hides the token in the job log should anything ever echo it. */
export function maskTokenForGithub(out: NodeJS.WritableStream, token: string | undefined): void {
  if (token) out.write(`::add-mask::${token}\n`);
}

/** NDJSON ends with one `summary`: apply's. The plan's own summary becomes `plan-summary`. */
function renamePlanSummary(ndjson: string): string {
  return ndjson.replace(/^\{"type":"summary",/m, '{"type":"plan-summary",');
}
