// How a plan maps to an exit code: errors first, then refusals, then (with --detailed-exitcode) pending changes.
import { EXIT, type ExitCode } from '../core/exit-codes.js';
import type { Plan } from '../plan/types.js';

export function exitCodeForPlan(plan: Plan, detailed: boolean): ExitCode {
  if (plan.summary.invalid > 0) return EXIT.failure;
  if (plan.summary.refused > 0) return EXIT.refused;
  if (detailed && plan.summary.toRun > 0) return EXIT.changes;
  return EXIT.ok;
}
