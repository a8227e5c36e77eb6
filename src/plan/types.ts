// The plan: a sorted, serializable value saying what apply would run and why.
import type { DeleteTarget, Delimiter, ImportAction } from '../config/types.js';

/** The Copernica import parameters that come from the definition (DESIGN.md section 5). */
export interface ApiParameters {
  /** As written in imports.yaml: an ID or a name (the client resolves names). */
  database: number | string;
  action: ImportAction;
  keyFields: string[];
  ignoreEmptyFields: boolean;
  removeMissing: boolean;
  /** Only with action delete. */
  deleteTarget?: DeleteTarget;
  followups: boolean;
  autostart: boolean;
  rebuild: boolean;
  format: 'csv' | 'json';
  /** CSV only. */
  delimiter?: Delimiter;
}

/** What the fingerprint covers besides file contents: the API parameters plus where the data comes from. */
export interface FingerprintedDefinition extends ApiParameters {
  /** location sources: the URL. */
  location?: string;
  /** command sources: the argv. */
  command?: string[];
}

/** Files added, removed or changed since the last apply, by kind. */
export interface FileChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

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
  /** changedFiles split by kind (optional detail for machine readers). */
  fileChanges?: FileChanges;
  /** Set when it would run but a dependency is invalid, refused or itself skipped: apply skips it. */
  blockedBy?: string[];
}

export interface PlanSummary {
  toRun: number;
  unchanged: number;
  refused: number;
  invalid: number;
  total: number;
  /** Would run but a dependency stops it (see PlannedImport.blockedBy). */
  skipped?: number;
}

export interface Plan {
  version: 1;
  /** In run order: dependencies first, then by name. */
  imports: PlannedImport[];
  summary: PlanSummary;
  /** sha256 over the canonical JSON of `imports`. */
  hash: string;
}
