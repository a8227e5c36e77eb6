// The plan: a sorted, serializable value saying what apply would run and why.
import type { ImportAction } from '../config/types.js';

export type PlanStatus = 'new' | 'changed' | 'unchanged' | 'failed-before' | 'refused' | 'invalid';

export interface Refusal {
  /** Stable guard code: E_GUARD_MIN_ROWS, E_GUARD_MAX_SHRINK, E_GUARD_BLANK_KEYS, E_GUARD_TRUNCATED, E_GUARD_DELETE_SHARE. */
  code: string;
  message: string;
  /** How to pass it. */
  hint: string;
}

export interface PlannedImport {
  name: string;
  status: PlanStatus;
  /** One human line per reason, most important first. */
  reasons: string[];
  /** Whether apply would run it (new, changed, failed-before; unchanged with --force; refused with --allow-destructive). */
  willRun: boolean;
  fingerprint: string;
  database: number | string;
  action: ImportAction;
  rows: number;
  /** Files added, removed or changed since the last apply (relative paths). */
  changedFiles: string[];
  /** API parameters whose value changed since the last apply. */
  changedParameters: string[];
  /** per-file mode: the files that would run, each its own Copernica import. */
  runFiles: string[];
  dependsOn: string[];
  refusals: Refusal[];
  /** Guards passed only because of --allow-destructive. */
  overridden: Refusal[];
}

export interface PlanSummary {
  toRun: number;
  unchanged: number;
  refused: number;
  invalid: number;
  total: number;
}

export interface Plan {
  version: 1;
  /** In run order: dependencies first, then by name. */
  imports: PlannedImport[];
  summary: PlanSummary;
  /** sha256 over the canonical JSON of `imports`. */
  hash: string;
}
