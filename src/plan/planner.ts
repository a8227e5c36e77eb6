// The planner: a pure function from definitions, resolved sources, state and options to a sorted, hashed plan.
import type { ImportDefinition } from '../config/types.js';
import { compareCodeUnits } from '../core/compare-code-units.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { ResolvedSource } from '../sources/types.js';
import type { StateEntry, StateFile } from '../state/types.js';
import { canonicalJson } from './canonical-json.js';
import { type Baseline, type Comparison, compareCombined, comparePerFile } from './compare-state.js';
import { computeFingerprint, sha256 } from './fingerprint.js';
import { checkGuards } from './guards.js';
import { orderImports, selectImports } from './select-imports.js';
import type { LiveImport, Plan, PlannedImport, PlanSummary, RowDiff } from './types.js';

/** Source problems that a safety guard turns into a refusal (passable) rather than making the import invalid. */
const GUARDED_SOURCE_CODES: ReadonlySet<string> = new Set(['E_SOURCE_BLANK_KEY', 'E_SOURCE_TRUNCATED']);

export interface PlanOptions {
  /** `--only`: these imports and, transitively, what they depend on. Unknown names throw E_USAGE_ONLY. */
  only?: string[];
  force: boolean;
  allowDestructive: boolean;
  /** Submitted imports were asked about first (apply, watch): one still running in Copernica is not sent again. */
  pendingChecked?: boolean;
}

/** One import as the planner sees it: its definition, its resolved source, and what the pre-flight found. */
export interface PlanRecord {
  definition: ImportDefinition;
  source?: ResolvedSource | undefined;
  live?: LiveImport | undefined;
  /** The row diff against the previous version, when there is one. */
  rows?: RowDiff | undefined;
}

export interface PlanInput {
  imports: readonly PlanRecord[];
  /** The last apply; with --changed-since, the version at the git ref. */
  state: StateFile;
  options: PlanOptions;
  baseline?: Baseline;
}

const NEVER_APPLIED: Baseline = { absent: 'never applied' };

export function planImports(input: PlanInput): Plan {
  const byName = new Map(input.imports.map((r) => [r.definition.name, r]));
  const selected = selectImports(
    input.imports.map((r) => r.definition),
    input.options.only,
  );
  const imports = blockDependents(
    orderImports(selected).map((def) =>
      planImport(
        byName.get(def.name) as PlanRecord,
        input.state.imports[def.name],
        input.options,
        input.baseline ?? NEVER_APPLIED,
      ),
    ),
  );
  return { version: 1, imports, summary: summarizePlan(imports), hash: computePlanHash(imports) };
}

/** Imports in dependency order: one forward pass marks every import a stopped dependency would skip. */
export function blockDependents(imports: readonly PlannedImport[]): PlannedImport[] {
  const planned = new Map<string, PlannedImport>();
  for (const item of imports) planned.set(item.name, blockOnDependencies(item, planned));
  return [...planned.values()];
}

/** sha256 over the canonical JSON of the planned imports: what `apply --plan-hash` compares. */
export function computePlanHash(imports: readonly PlannedImport[]): string {
  return sha256(canonicalJson(imports));
}

export function summarizePlan(imports: readonly PlannedImport[]): PlanSummary {
  const count = (test: (p: PlannedImport) => boolean) => imports.filter(test).length;
  return {
    toRun: count((p) => p.willRun),
    unchanged: count((p) => p.status === 'unchanged' && !p.willRun),
    pending: count((p) => p.status === 'pending' && !p.willRun),
    refused: count((p) => p.status === 'refused'),
    invalid: count((p) => p.status === 'invalid'),
    skipped: count((p) => p.blockedBy !== undefined),
    total: imports.length,
  };
}

function planImport(
  record: PlanRecord,
  entry: StateEntry | undefined,
  options: PlanOptions,
  baseline: Baseline,
): PlannedImport {
  const { definition: def, source, live, rows } = record;
  const base = createPlannedImport(def, source, live);
  if (!source) return { ...base, status: 'invalid', reasons: ['its source was not resolved'] };
  // A row diff needs a unique, filled-in key: for send: changes and prune, repeated or blank keys are errors
  // (the import is invalid), never a guard that --allow-destructive could pass.
  const rowKeyed = def.send === 'changes' || def.prune;
  const guarded = (code: string) =>
    GUARDED_SOURCE_CODES.has(code) && !(rowKeyed && code === 'E_SOURCE_BLANK_KEY');
  const errors = [...source.diagnostics, ...(live?.diagnostics ?? [])].filter(
    (d) => d.severity === 'error' && !guarded(d.code),
  );
  if (errors.length > 0) return { ...base, status: 'invalid', reasons: errors.map(describeDiagnostic) };
  const fingerprint = computeFingerprint(def, source);
  const perFile = def.mode === 'per-file';
  const cmp = applyForce(
    perFile
      ? comparePerFile(def, source, entry, baseline)
      : compareCombined(def, source, fingerprint, entry, baseline),
    source,
    perFile,
    options.force,
  );
  const compared: PlannedImport = {
    ...base,
    ...fromComparison(cmp),
    fingerprint,
    willRun: wouldRun(cmp, perFile, options),
  };
  if (cmp.status === 'pending') return describePending(compared, entry, options);
  const planned = rows ? withRows(compared, def, rows, options.force) : compared;
  if (!planned.willRun) return planned;
  const refusals = checkGuards({
    def,
    source,
    entry,
    runFiles: perFile ? cmp.runFiles : undefined,
    force: options.force,
    liveTotal: live?.liveTotal,
    prune: planned.prune,
  });
  if (refusals.length === 0) return planned;
  if (!options.allowDestructive) {
    const reasons = [...refusals.map((r) => `${r.code}: ${r.message}`), ...planned.reasons];
    return { ...planned, status: 'refused', willRun: false, reasons, refusals };
  }
  const passed = refusals.map((r) => `passed by --allow-destructive: ${r.code}: ${r.message}`);
  return { ...planned, reasons: [...passed, ...planned.reasons], overridden: refusals };
}

function wouldRun(cmp: Comparison, perFile: boolean, options: PlanOptions): boolean {
  if (cmp.status === 'pending') return !options.pendingChecked;
  return perFile ? cmp.runFiles.length > 0 : cmp.status !== 'unchanged' || options.force;
}

/** Offline, a pending import counts as to run (its outcome is unknown); once asked, it is still running. */
function describePending(
  planned: PlannedImport,
  entry: StateEntry | undefined,
  options: PlanOptions,
): PlannedImport {
  const importId = entry?.importId;
  const withId = importId ? { ...planned, importId } : planned;
  if (!options.pendingChecked) return withId;
  return { ...withId, reasons: ['still running in Copernica; not sent again', ...planned.reasons] };
}

/** The row counts, the rows a delta sends (send: changes) and the keys a prune deletes; nothing to send is no run. */
function withRows(
  planned: PlannedImport,
  def: ImportDefinition,
  rows: RowDiff,
  force: boolean,
): PlannedImport {
  const { added, changed, removed } = rows.counts;
  const out: PlannedImport = { ...planned, rowChanges: rows.counts };
  if (!planned.willRun) return catchUp(out, def, rows);
  // A first run, new columns, other API parameters or --force send every row; otherwise a delta will do.
  const delta =
    def.send === 'changes' &&
    planned.status !== 'new' &&
    planned.changedParameters.length === 0 &&
    !rows.headerChanged &&
    !force;
  if (delta) out.sendRows = added + changed;
  if (def.prune && removed > 0) out.prune = { keys: removed, of: rows.previousRows };
  if (out.sendRows !== 0 || out.prune) return out;
  const reasons = ['no row added, changed or removed: nothing to send', ...planned.reasons];
  return { ...out, status: 'unchanged', willRun: false, reasons };
}

/**
 * Applied as it is now, yet its rows differ from the snapshot: the snapshot is behind (a run killed after it
 * finished, or --no-wait). Apply records it, sends no row, and prunes what the data lost.
 */
function catchUp(out: PlannedImport, def: ImportDefinition, rows: RowDiff): PlannedImport {
  const { added, changed, removed } = rows.counts;
  if (out.status !== 'unchanged' || added + changed + removed === 0) return out;
  const reason = 'the last apply finished but its row snapshot is behind: apply records it and sends no row';
  return {
    ...out,
    willRun: true,
    sendRows: 0,
    ...(def.prune && removed > 0 ? { prune: { keys: removed, of: rows.previousRows } } : {}),
    reasons: [reason, ...out.reasons],
  };
}

/** --force: an unchanged import runs too (per-file: every file). */
function applyForce(cmp: Comparison, source: ResolvedSource, perFile: boolean, force: boolean): Comparison {
  if (!force || cmp.status !== 'unchanged') return cmp;
  const runFiles = perFile ? source.files.map((f) => f.path).sort(compareCodeUnits) : cmp.runFiles;
  return { ...cmp, runFiles, reasons: cmp.reasons.map((r) => `${r}; runs anyway because of --force`) };
}

function fromComparison(
  cmp: Comparison,
): Pick<
  PlannedImport,
  'status' | 'reasons' | 'changedFiles' | 'changedParameters' | 'runFiles' | 'fileChanges'
> {
  const { added, removed, changed } = cmp.fileChanges;
  const changedFiles = [...added, ...removed, ...changed].sort(compareCodeUnits);
  return {
    status: cmp.status,
    reasons: cmp.reasons,
    changedFiles,
    changedParameters: cmp.changedParameters,
    runFiles: cmp.runFiles,
    fileChanges: cmp.fileChanges,
  };
}

/** An import that would run is skipped when a dependency is invalid, refused or itself skipped. */
function blockOnDependencies(
  item: PlannedImport,
  planned: ReadonlyMap<string, PlannedImport>,
): PlannedImport {
  if (!item.willRun) return item;
  const blockers = item.dependsOn
    .map((name) => planned.get(name))
    .filter((dep): dep is PlannedImport => dep !== undefined && isBlocking(dep));
  if (blockers.length === 0) return item;
  const why = blockers.map(
    (dep) =>
      `skipped: depends on ${dep.name} which is ${dep.blockedBy ? 'skipped' : dep.status === 'pending' ? 'still running in Copernica' : dep.status}`,
  );
  return {
    ...item,
    willRun: false,
    blockedBy: blockers.map((d) => d.name),
    reasons: [...why, ...item.reasons],
  };
}

function isBlocking(dep: PlannedImport): boolean {
  const running = dep.status === 'pending' && !dep.willRun;
  return dep.status === 'invalid' || dep.status === 'refused' || running || dep.blockedBy !== undefined;
}

function createPlannedImport(
  def: ImportDefinition,
  source: ResolvedSource | undefined,
  live: LiveImport | undefined,
): PlannedImport {
  return {
    ...(live?.databaseId === undefined ? {} : { databaseId: live.databaseId }),
    name: def.name,
    status: 'invalid',
    reasons: [],
    willRun: false,
    fingerprint: '',
    database: def.database,
    action: def.action,
    rows: source?.rows ?? 0,
    changedFiles: [],
    changedParameters: [],
    runFiles: [],
    dependsOn: [...def.dependsOn].sort(compareCodeUnits),
    refusals: [],
    overridden: [],
  };
}

function describeDiagnostic(d: Diagnostic): string {
  const where = d.position ? ` (${d.position.file}:${d.position.line}:${d.position.column})` : '';
  return `${d.code}: ${d.message}${where}`;
}
