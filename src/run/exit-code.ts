// How a plan, and an apply's results, map to an exit code: interruption, then errors, then refusals, then changes.
import { type ImportResult, isDone } from '../apply/execute-plan.js';
import { EXIT, type ExitCode } from '../core/exit-codes.js';
import type { Plan, PlanSummary } from '../plan/types.js';

export function exitCodeForPlan(plan: { summary: PlanSummary }, detailed: boolean): ExitCode {
  if (plan.summary.invalid > 0) return EXIT.failure;
  if (plan.summary.refused > 0) return EXIT.refused;
  if (detailed && plan.summary.toRun > 0) return EXIT.changes;
  return EXIT.ok;
}

/** Anything that did not go through (failed, unknown outcome, skipped) is a failure; refusals exit 3 when nothing failed. */
export function exitCodeForApply(
  results: Iterable<ImportResult>,
  plan: Plan,
  interrupted: boolean,
): ExitCode {
  if (interrupted) return EXIT.interrupted;
  const failed = [...results].some((r) => !isDone(r.outcome));
  if (failed || plan.summary.invalid > 0) return EXIT.failure;
  if (plan.summary.refused > 0) return EXIT.refused;
  return EXIT.ok;
}
