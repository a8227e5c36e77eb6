// The plan: a sorted, serializable value saying what apply would run and why.
import type { ApiFormat, Delimiter } from '../config/parameters.js';
import type { ImportAction } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { RowCounts } from './row-index.js';

export type { RowCounts };

/** The Copernica import parameters of a definition, by name, plus `database` as written (DESIGN.md section 5). */
export type ApiParameters = Record<string, unknown> & {
  database: number | string;
  format: ApiFormat;
  /** CSV only. */
  delimiter?: Delimiter;
};

/** What the fingerprint covers besides file contents: the API parameters, where the data comes from (`location`, `command`) and later parameters set away from their default. */
export type FingerprintedDefinition = Record<string, unknown>;

/** Files added, removed or changed since the last apply, by kind. */
export interface FileChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

export type PlanStatus =
  | 'new'
  | 'changed'
  | 'unchanged'
  | 'failed-before'
  | 'pending'
  | 'refused'
  | 'invalid';

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
  /** The database's ID in Copernica, once the pre-flight resolved it. */
  databaseId?: number;
  action: ImportAction;
  rows: number;
  /** pending: the Copernica import whose outcome is not known yet. */
  importId?: string;
  /** Against the previous version (the row snapshot, or the files at --changed-since's ref), by key. */
  rowChanges?: RowCounts;
  /** send: changes: the rows this run sends (the added and changed ones); absent when it sends them all. */
  sendRows?: number;
  /** prune: keys this import sent before that the data no longer has, deleted by a second import. */
  prune?: { keys: number; of: number };
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
  /** Submitted earlier and still running in Copernica (apply asks first): not sent again. */
  pending: number;
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

/** What the pre-flight found for one import (plan --remote, apply): the planner folds it in. */
export interface LiveImport {
  databaseId?: number;
  /** Profiles in the database now, for the delete-share guard. */
  liveTotal?: number;
  /** Unknown database or key field (errors: the import is invalid), case-only differences (warnings). */
  diagnostics: Diagnostic[];
}

/** What the row diff against the previous version found, for the planner (run/rows.ts computes it). */
export interface RowDiff {
  counts: RowCounts;
  /** The previous version's rows (what the prune guards measure against). */
  previousRows: number;
  /** The previous version had other columns: a delta cannot say what changed, every row is sent. */
  headerChanged: boolean;
}
