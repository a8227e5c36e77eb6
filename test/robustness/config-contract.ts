// The contract every config parse keeps, fuzzed or not: a config, or E_ diagnostics each with a position.
import type { Diagnostic } from '../../src/core/diagnostic.js';

/** Why a result breaks the contract, or undefined when it keeps it. */
export function contractViolation(diagnostics: readonly Diagnostic[], valid: boolean): string | undefined {
  for (const d of diagnostics) {
    if (!/^[EW]_[A-Z0-9_]+$/.test(d.code)) return `bad code ${d.code}`;
    if (d.severity === 'error' && !d.code.startsWith('E_')) return `error without an E_ code: ${d.code}`;
    if (d.code.startsWith('E_INTERNAL')) return `internal error: ${d.message}`;
    if (!d.position) return `no position: ${d.code} ${d.message}`;
    if (!(d.position.line >= 1 && d.position.column >= 1))
      return `bad position ${JSON.stringify(d.position)}`;
    if (d.message.trim().length === 0) return `empty message for ${d.code}`;
  }
  const errors = diagnostics.some((d) => d.severity === 'error');
  if (valid === errors) return valid ? 'a config despite errors' : 'no config and no error';
  return undefined;
}
