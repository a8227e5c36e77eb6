// The plan's refusals as diagnostics, for annotations and the text report's problem list.
import type { Diagnostic } from '../core/diagnostic.js';
import type { Plan } from './types.js';

/** Refusals are errors; guards passed by --allow-destructive are warnings (printed either way). */
export function planDiagnostics(plan: Plan): Diagnostic[] {
  return plan.imports.flatMap((item) => [
    ...item.refusals.map((r) => toDiagnostic('error', item.name, r)),
    ...item.overridden.map((r) => toDiagnostic('warning', item.name, r, 'passed by --allow-destructive: ')),
  ]);
}

function toDiagnostic(
  severity: Diagnostic['severity'],
  importName: string,
  refusal: { code: string; message: string; hint: string },
  prefix = '',
): Diagnostic {
  return {
    severity,
    code: refusal.code,
    message: `${prefix}${refusal.message}`,
    hint: refusal.hint,
    importName,
  };
}
