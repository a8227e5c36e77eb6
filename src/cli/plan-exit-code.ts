// How a plan, and an apply's results, map to an exit code: interruption, then errors, then refusals, then changes.

import type { ImportResult } from '../apply/execute-plan.js';
import { EXIT, type ExitCode } from '../core/exit-codes.js';
import type { Plan } from '../plan/types.js';

export function exitCodeForPlan(plan: Plan, detailed: boolean): ExitCode {
  if (plan.summary.invalid > 0) return EXIT.failure;
  if (plan.summary.refused > 0) return EXIT.refused;
  if (detailed && plan.summary.toRun > 0) return EXIT.changes;
  return EXIT.ok;
}

/** Anything that did not succeed (failed, unknown outcome, skipped) is a failure; refusals exit 3 when nothing failed. */
export function exitCodeForApply(
  results: Map<string, ImportResult>,
  plan: Plan,
  interrupted: boolean,
): ExitCode {
  if (interrupted) return EXIT.interrupted;
  const failed = [...results.values()].some((r) => r.outcome !== 'succeeded' && r.outcome !== 'submitted');
  if (failed || plan.summary.invalid > 0) return EXIT.failure;
  if (plan.summary.refused > 0) return EXIT.refused;
  return EXIT.ok;
}
