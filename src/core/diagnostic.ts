// Expected problems are data: every layer returns diagnostics; only the CLI decides how to print them.
import { compareCodeUnits } from './compare-code-units.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Position {
  /** Path as the user should see it (relative to the working directory when possible). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable code, e.g. E_CONFIG_SCHEMA; tests assert codes, not wording. */
  code: string;
  message: string;
  position?: Position;
  hint?: string;
  /** The import the problem belongs to, when there is one. */
  importName?: string;
}

export function createDiagnostic(
  severity: Severity,
  code: string,
  message: string,
  extra: Omit<Diagnostic, 'severity' | 'code' | 'message'> = {},
): Diagnostic {
  return { severity, code, message, ...extra };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts by file, line, column, then code, so output is deterministic (on every machine and locale). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareCodeUnits(a.position?.file ?? '', b.position?.file ?? '') ||
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.column ?? 0) - (b.position?.column ?? 0) ||
      compareCodeUnits(a.code, b.code),
  );
}
