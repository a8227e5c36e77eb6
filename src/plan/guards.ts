// The safety guards that need no network (DESIGN.md section 3); each failing guard is a Refusal.

import type { ImportDefinition } from '../config/types.js';
import { countOf } from '../core/plural.js';
import type { ResolvedFile, ResolvedSource } from '../sources/types.js';
import type { StateEntry } from '../state/types.js';
import type { Refusal } from './types.js';

const PASS = '--allow-destructive runs it anyway';

/** Refusals for an import that would run; `runFiles` narrows per-file mode to the files that would run. */
export function checkGuards(
  def: ImportDefinition,
  source: ResolvedSource,
  entry: StateEntry | undefined,
  runFiles: readonly string[] | undefined,
  force = false,
): Refusal[] {
  const files = runFiles ? source.files.filter((f) => runFiles.includes(f.path)) : source.files;
  const destructive = def.removeMissing || def.action === 'delete';
  return [
    force ? undefined : checkUnknownAdd(def, entry),
    checkTruncated(runFiles ? files.some((f) => f.truncated) : source.truncated, files),
    destructive ? checkMinRows(def, source, files, runFiles !== undefined) : undefined,
    def.removeMissing ? checkMaxShrink(def, source, entry) : undefined,
    destructive ? checkBlankKeys(def, runFiles ? sumBlankKeys(files) : source.blankKeys) : undefined,
  ].filter((r): r is Refusal => r !== undefined);
}

/** A retried `add` whose last outcome is unknown could import everything twice: a person must decide. */
function checkUnknownAdd(def: ImportDefinition, entry: StateEntry | undefined): Refusal | undefined {
  if (def.action !== 'add' || entry?.outcome !== 'unknown') return undefined;
  const id = entry.importId ? ` (Copernica import ${entry.importId})` : '';
  return {
    code: 'E_GUARD_UNKNOWN_OUTCOME',
    message: `the last add${id} may or may not have been imported; sending it again could add every record twice`,
    hint: 'check the database in Copernica; then run with --force (or --allow-destructive) to send it again',
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
  return entry.outcome === 'succeeded' || entry.outcome === 'submitted' ? entry.rows : undefined;
}

function describeDestructive(def: ImportDefinition): string {
  return def.action === 'delete' ? 'action delete' : 'removeMissing';
}
