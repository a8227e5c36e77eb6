// Pure: the state after one import ran, for the apply executor to save (combined, or per-file under perFile).
import type { ImportDefinition } from '../config/types.js';
import { computeFileFingerprint, computeFingerprint } from '../plan/fingerprint.js';
import { fingerprintedDefinition } from '../plan/parameters.js';
import type { ResolvedSource } from '../sources/types.js';
import type { AppliedRun, Outcome, StateEntry, StateFile } from './types.js';

export interface RunRecord {
  outcome: Outcome;
  importId?: string;
  /** ISO 8601, from the executor's clock. */
  appliedAt: string;
  error?: string;
  /** per-file mode: the file paths this run covered (default: every file of the source). */
  files?: string[];
}

export function recordApplied(
  state: StateFile,
  def: ImportDefinition,
  source: ResolvedSource,
  run: RunRecord,
): StateFile {
  const previous = state.imports[def.name];
  const went = run.outcome === 'finished' || run.outcome === 'submitted';
  const entry: StateEntry = {
    ...createRun(computeFingerprint(def, source), run, source.rows),
    files: source.files.map((f) => ({ path: f.path, hash: f.hash })),
    header: [...(source.header ?? [])],
    parameters: fingerprintedDefinition(def, source),
  };
  // A failed run must not lower what maxShrink compares against.
  const appliedRows = went
    ? source.rows
    : (previous?.appliedRows ?? (previous && isApplied(previous) ? previous.rows : undefined));
  if (appliedRows !== undefined) entry.appliedRows = appliedRows;
  // The row snapshot and the last prune move on their own steps (run/row-steps.ts), never with a run.
  if (previous?.rowSnapshot) entry.rowSnapshot = previous.rowSnapshot;
  if (previous?.prune) entry.prune = previous.prune;
  if (def.mode === 'per-file') entry.perFile = recordFiles(previous?.perFile ?? {}, def, source, run);
  else if (previous?.perFile) entry.perFile = previous.perFile;
  return { ...state, imports: { ...state.imports, [def.name]: entry } };
}

function recordFiles(
  before: NonNullable<StateEntry['perFile']>,
  def: ImportDefinition,
  source: ResolvedSource,
  run: RunRecord,
): NonNullable<StateEntry['perFile']> {
  const covered = new Set(run.files ?? source.files.map((f) => f.path));
  const after = { ...before };
  for (const file of source.files.filter((f) => covered.has(f.path))) {
    after[file.path] = { ...createRun(computeFileFingerprint(def, file), run, file.rows), hash: file.hash };
  }
  return after;
}

function createRun(fingerprint: string, run: RunRecord, rows: number): AppliedRun {
  const applied: AppliedRun = { fingerprint, appliedAt: run.appliedAt, outcome: run.outcome, rows };
  if (run.importId !== undefined) applied.importId = run.importId;
  if (run.error !== undefined) applied.error = run.error;
  return applied;
}

function isApplied(entry: StateEntry): boolean {
  return entry.outcome === 'finished' || entry.outcome === 'submitted';
}

/** Copernica's answer about a submitted run (`file`: one file of a per-file import): finished or failed. */
export function recordResolved(
  state: StateFile,
  name: string,
  file: string | undefined,
  resolution: { outcome: 'finished' | 'failed'; error?: string },
): StateFile {
  const entry = state.imports[name];
  if (!entry) return state;
  const settle = <T extends AppliedRun>(run: T): T => {
    const { error: _old, ...rest } = run;
    return {
      ...rest,
      outcome: resolution.outcome,
      ...(resolution.error ? { error: resolution.error } : {}),
    } as T;
  };
  const run = file === undefined ? undefined : entry.perFile?.[file];
  // The entry's own outcome is its last run's: settle it too when that run is this one.
  const next: StateEntry =
    file === undefined || entry.importId === run?.importId ? settle(entry) : { ...entry };
  if (file !== undefined && run) next.perFile = { ...entry.perFile, [file]: settle(run) };
  return { ...state, imports: { ...state.imports, [name]: next } };
}
