// The safety guards of DESIGN.md section 3, the live delete-share guard included (fed the pre-flight's counts).

import type { ImportDefinition } from '../config/types.js';
import { countOf } from '../core/plural.js';
import type { ResolvedFile, ResolvedSource } from '../sources/types.js';
import type { StateEntry } from '../state/types.js';
import type { Refusal } from './types.js';

const PASS = '--allow-destructive runs it anyway';

/** The share guard applies only once a database holds this many profiles. */
export const GUARD_MIN_PROFILES = 10;

export interface GuardInput {
  def: ImportDefinition;
  source: ResolvedSource;
  entry: StateEntry | undefined;
  /** per-file mode: the files that would run. */
  runFiles: readonly string[] | undefined;
  force: boolean;
  /** The database's live profile count, when the pre-flight ran. */
  liveTotal: number | undefined;
  /** prune: the keys it would delete, of the rows the previous version had. */
  prune: { keys: number; of: number } | undefined;
}

/** Refusals for an import that would run. */
export function checkGuards(input: GuardInput): Refusal[] {
  const { def, source, entry, runFiles } = input;
  const files = runFiles ? source.files.filter((f) => runFiles.includes(f.path)) : source.files;
  const destructive = def.removeMissing || def.action === 'delete' || input.prune !== undefined;
  return [
    input.force ? undefined : checkPartialAdd(def, entry),
    checkTruncated(runFiles ? files.some((f) => f.truncated) : source.truncated, files),
    destructive ? checkMinRows(def, source, files, runFiles !== undefined) : undefined,
    def.removeMissing ? checkMaxShrink(def, source, entry) : undefined,
    destructive ? checkBlankKeys(def, runFiles ? sumBlankKeys(files) : source.blankKeys) : undefined,
    input.liveTotal === undefined ? undefined : checkDeleteShare(def, source.rows, input.liveTotal),
    input.prune ? checkPruneShare(def, input.prune) : undefined,
  ].filter((r): r is Refusal => r !== undefined);
}

/**
 * A retried `add` whose last run may have been imported in part (its outcome unknown, or it failed inside
 * Copernica after being accepted) could add records twice: a person must decide.
 */
function checkPartialAdd(def: ImportDefinition, entry: StateEntry | undefined): Refusal | undefined {
  if (def.action !== 'add' || !entry) return undefined;
  const partial = entry.outcome === 'unknown' || (entry.outcome === 'failed' && entry.importId !== undefined);
  if (!partial) return undefined;
  const id = entry.importId ? ` (Copernica import ${entry.importId})` : '';
  const what =
    entry.outcome === 'unknown'
      ? 'may or may not have been imported'
      : 'failed and may have been imported in part';
  return {
    code: 'E_GUARD_UNKNOWN_OUTCOME',
    message: `the last add${id} ${what}; sending it again could add records twice`,
    hint: 'check the database in Copernica; then run with --force (or --allow-destructive) to send it again',
  };
}

/** removeMissing deletes at least (live - rows) profiles; delete removes at most `rows`: both capped by a share. */
export function checkDeleteShare(
  def: ImportDefinition,
  rows: number,
  liveTotal: number,
): Refusal | undefined {
  if (liveTotal < GUARD_MIN_PROFILES) return undefined;
  const limit = def.safety.maxDeleteShare;
  const percent = (share: number): string => `${Math.round(share * 100)}%`;
  const deleting = def.removeMissing ? Math.max(0, liveTotal - rows) : def.action === 'delete' ? rows : 0;
  if (deleting / liveTotal <= limit) return undefined;
  const what = def.removeMissing
    ? `removeMissing would delete at least ${deleting}`
    : `delete could remove ${deleting}`;
  return {
    code: 'E_GUARD_DELETE_SHARE',
    message: `${what} of ${liveTotal} profiles (${percent(deleting / liveTotal)}), more than maxDeleteShare ${percent(limit)}`,
    hint: `raise safety.maxDeleteShare for "${def.name}"; ${PASS}`,
  };
}

function checkTruncated(truncated: boolean, files: readonly ResolvedFile[]): Refusal | undefined {
  if (!truncated) return undefined;
  const named = files.filter((f) => f.truncated).map((f) => f.path);
  const which = named.length > 0 ? named.join(', ') : 'the source';
  return {
    code: 'E_GUARD_TRUNCATED',
    message: `the last record of ${which} is cut short (truncated file)`,
    hint: `re-export the complete file; ${PASS}`,
  };
}

/** prune deletes only what this import sent, but a truncated export must not take a share of it with it. */
function checkPruneShare(def: ImportDefinition, prune: { keys: number; of: number }): Refusal | undefined {
  const limit = def.safety.maxDeleteShare;
  if (prune.of === 0 || prune.keys / prune.of <= limit) return undefined;
  const percent = (share: number): string => `${Math.round(share * 100)}%`;
  return {
    code: 'E_GUARD_DELETE_SHARE',
    message: `prune would delete ${prune.keys} of the ${prune.of} rows "${def.name}" sent before (${percent(prune.keys / prune.of)}), more than maxDeleteShare ${percent(limit)}`,
    hint: `check the export is complete, or raise safety.maxDeleteShare for "${def.name}"; ${PASS}`,
  };
}

function checkMinRows(
  def: ImportDefinition,
  source: ResolvedSource,
  files: readonly ResolvedFile[],
  perFile: boolean,
): Refusal | undefined {
  const min = def.safety.minRows;
  const hint = `check the export, or lower safety.minRows for "${def.name}"; ${PASS}`;
  if (source.kind === 'location') {
    const message = `${describeDestructive(def)} needs at least ${countOf(min, 'row')}, and a location source is never fetched to count them`;
    return { code: 'E_GUARD_MIN_ROWS', message, hint: PASS };
  }
  const short = files.filter((f) => f.rows < min);
  if (perFile ? short.length === 0 : source.rows >= min) return undefined;
  const rows = perFile
    ? short.map((f) => `${f.path} has ${f.rows}`).join(', ')
    : `the source has ${source.rows}`;
  return {
    code: 'E_GUARD_MIN_ROWS',
    message: `${describeDestructive(def)} needs at least ${countOf(min, 'row')}; ${rows}`,
    hint,
  };
}

function checkMaxShrink(
  def: ImportDefinition,
  source: ResolvedSource,
  entry: StateEntry | undefined,
): Refusal | undefined {
  const last = lastAppliedRows(entry);
  if (last === undefined || last === 0 || source.kind === 'location') return undefined;
  const dropped = (last - source.rows) / last;
  if (dropped <= def.safety.maxShrink) return undefined;
  const share = (n: number) => `${Math.round(n * 1000) / 10}%`;
  return {
    code: 'E_GUARD_MAX_SHRINK',
    message: `removeMissing with ${countOf(source.rows, 'row')}, down ${share(dropped)} from ${last} at the last apply (limit ${share(def.safety.maxShrink)})`,
    hint: `check the export is complete, or raise safety.maxShrink for "${def.name}"; ${PASS}`,
  };
}

function sumBlankKeys(files: readonly ResolvedFile[]): number {
  return files.reduce((sum, f) => sum + f.blankKeys, 0);
}

function checkBlankKeys(def: ImportDefinition, blank: number): Refusal | undefined {
  if (blank === 0) return undefined;
  return {
    code: 'E_GUARD_BLANK_KEYS',
    message: `${countOf(blank, 'record')} with blank key fields (${def.keyFields.join(', ')}), which ${describeDestructive(def)} does not allow`,
    hint: `fill in or drop the records with blank keys; ${PASS}`,
  };
}

/** The row count of the last run that went through; failed runs do not lower the bar. */
export function lastAppliedRows(entry: StateEntry | undefined): number | undefined {
  if (!entry) return undefined;
  if (entry.appliedRows !== undefined) return entry.appliedRows;
  return entry.outcome === 'finished' || entry.outcome === 'submitted' ? entry.rows : undefined;
}

function describeDestructive(def: ImportDefinition): string {
  return def.action === 'delete' ? 'action delete' : def.removeMissing ? 'removeMissing' : 'prune';
}
