// Compares an import's definition and resolved source with its state entry: the status before any guard.
import type { ImportDefinition } from '../config/types.js';
import { compareCodeUnits } from '../core/compare-code-units.js';
import type { ResolvedSource } from '../sources/types.js';
import type { AppliedRun, StateEntry } from '../state/types.js';
import { canonicalJson } from './canonical-json.js';
import { computeFileFingerprint } from './fingerprint.js';
import { fingerprintedDefinition } from './parameters.js';
import type { FileChanges, PlanStatus } from './types.js';

export interface Comparison {
  status: Extract<PlanStatus, 'new' | 'changed' | 'unchanged' | 'failed-before' | 'pending'>;
  reasons: string[];
  fileChanges: FileChanges;
  changedParameters: string[];
  /** per-file mode: files whose own fingerprint has not succeeded yet. */
  runFiles: string[];
}

/** What the state stands for: the last apply, or (--changed-since) the files and definitions at a git ref. */
export interface Baseline {
  /** Said of an import the baseline does not have, e.g. "never applied" or "new since HEAD~1". */
  absent: string;
}

export function compareCombined(
  def: ImportDefinition,
  source: ResolvedSource,
  fingerprint: string,
  entry: StateEntry | undefined,
  baseline: Baseline,
): Comparison {
  if (!entry) return { ...noChanges(), status: 'new', reasons: [baseline.absent] };
  const fileChanges = diffFiles(source, entry);
  const changedParameters = diffParameters(def, source, entry);
  const detail = describeChanges(fileChanges, changedParameters);
  if (entry.outcome === 'submitted' && entry.fingerprint === fingerprint) {
    return { ...noChanges(), status: 'pending', reasons: [pendingReason(entry)] };
  }
  if (isFailedOutcome(entry.outcome)) {
    return {
      status: 'failed-before',
      reasons: [lastRunReason(entry), ...detail],
      fileChanges,
      changedParameters,
      runFiles: [],
    };
  }
  if (entry.fingerprint !== fingerprint) {
    const reasons = detail.length > 0 ? detail : ['definition changed'];
    return { status: 'changed', reasons, fileChanges, changedParameters, runFiles: [] };
  }
  return { ...noChanges(), status: 'unchanged', reasons: [`unchanged since ${entry.appliedAt}`] };
}

/** per-file mode: each file runs once per content; a removed file changes nothing. */
export function comparePerFile(
  def: ImportDefinition,
  source: ResolvedSource,
  entry: StateEntry | undefined,
  baseline: Baseline,
): Comparison {
  const records = entry?.perFile ?? {};
  const fingerprints = new Map(source.files.map((f) => [f.path, computeFileFingerprint(def, f)]));
  const same = (path: string) => records[path]?.fingerprint === fingerprints.get(path);
  const isDone = (path: string) => same(path) && records[path]?.outcome === 'finished';
  const pending = [...fingerprints.keys()].filter((p) => same(p) && records[p]?.outcome === 'submitted');
  const runPaths = [...fingerprints.keys()]
    .filter((path) => !isDone(path) && !pending.includes(path))
    .sort(compareCodeUnits);
  if (source.files.length === 0)
    return { ...noChanges(), status: 'unchanged', reasons: ['no file to import'] };
  if (!entry) return { ...noChanges(), status: 'new', reasons: [baseline.absent], runFiles: runPaths };
  if (runPaths.length === 0 && pending.length > 0) {
    const reasons = pending.map((path) => `${path}: ${pendingReason(records[path] as AppliedRun)}`);
    return { ...noChanges(), status: 'pending', reasons, runFiles: pending.sort(compareCodeUnits) };
  }
  if (runPaths.length === 0) {
    return { ...noChanges(), status: 'unchanged', reasons: [`every file applied (last ${entry.appliedAt})`] };
  }
  const changedParameters = diffParameters(def, source, entry);
  const fileChanges: FileChanges = { added: [], removed: [], changed: [] };
  for (const path of runPaths) (records[path] ? fileChanges.changed : fileChanges.added).push(path);
  const failed = runPaths.filter(
    (path) =>
      records[path]?.fingerprint === fingerprints.get(path) && isFailedOutcome(records[path]?.outcome),
  );
  const detail = describeChanges(fileChanges, changedParameters);
  if (failed.length > 0) {
    const reason = `last run failed for ${failed.join(', ')}`;
    return {
      status: 'failed-before',
      reasons: [reason, ...detail],
      fileChanges,
      changedParameters,
      runFiles: runPaths,
    };
  }
  return { status: 'changed', reasons: detail, fileChanges, changedParameters, runFiles: runPaths };
}

export function isFailedOutcome(outcome: string | undefined): boolean {
  return outcome === 'failed' || outcome === 'unknown';
}

/** Sent, outcome not asked yet (--no-wait, a crash, a shutdown): apply asks Copernica before anything runs. */
function pendingReason(run: AppliedRun): string {
  const id = run.importId ? `Copernica import ${run.importId}` : 'a Copernica import';
  return `submitted as ${id} at ${run.appliedAt}; outcome not checked`;
}

function noChanges(): Omit<Comparison, 'status' | 'reasons'> {
  return { fileChanges: { added: [], removed: [], changed: [] }, changedParameters: [], runFiles: [] };
}

function diffFiles(source: ResolvedSource, entry: StateEntry): FileChanges {
  const before = new Map(entry.files.map((f) => [f.path, f.hash]));
  const now = new Map(source.files.map((f) => [f.path, f.hash]));
  const sorted = (paths: string[]) => paths.sort(compareCodeUnits);
  return {
    added: sorted([...now.keys()].filter((p) => !before.has(p))),
    removed: sorted([...before.keys()].filter((p) => !now.has(p))),
    changed: sorted([...now].filter(([p, h]) => before.has(p) && before.get(p) !== h).map(([p]) => p)),
  };
}

/** Keys of the fingerprinted definition whose value differs; nothing when the state predates `parameters`. */
function diffParameters(def: ImportDefinition, source: ResolvedSource, entry: StateEntry): string[] {
  if (!entry.parameters) return [];
  const now: Record<string, unknown> = { ...fingerprintedDefinition(def, source) };
  const before: Record<string, unknown> = { ...entry.parameters };
  const keys = new Set([...Object.keys(now), ...Object.keys(before)]);
  return [...keys].filter((k) => canonicalJson(now[k]) !== canonicalJson(before[k])).sort(compareCodeUnits);
}

function describeChanges(files: FileChanges, parameters: string[]): string[] {
  const lines: string[] = [];
  if (files.changed.length > 0) lines.push(`files changed: ${files.changed.join(', ')}`);
  if (files.added.length > 0) lines.push(`files added: ${files.added.join(', ')}`);
  if (files.removed.length > 0) lines.push(`files removed: ${files.removed.join(', ')}`);
  if (parameters.length > 0) lines.push(`parameters changed: ${parameters.join(', ')}`);
  return lines;
}

function lastRunReason(entry: StateEntry): string {
  const what =
    entry.outcome === 'unknown'
      ? `outcome of the last run (${entry.appliedAt}) is unknown`
      : `last run failed (${entry.appliedAt})`;
  return entry.error ? `${what}: ${entry.error}` : what;
}
