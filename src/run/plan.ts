// plan: load → resolve sources → (the version at a git ref) → plan → (pre-flight → plan); offline unless remote.
import type { ImportDefinition } from '../config/types.js';
import { type Diagnostic, sortDiagnostics } from '../core/diagnostic.js';
import type { Baseline } from '../plan/compare-state.js';
import { type PlanImportEvent, toImportEvent } from '../plan/import-event.js';
import { planDiagnostics } from '../plan/plan-diagnostics.js';
import { planImports } from '../plan/planner.js';
import type { Plan, PlanSummary } from '../plan/types.js';
import type { StateFile } from '../state/types.js';
import { type RefView, readRef, refBaseline, touchedSince } from './changed-since.js';
import { saveHashCache } from './hash-cache.js';
import { checkLive } from './live.js';
import type { PlanRunOptions } from './options.js';
import { disposeRecords, type ImportRecord, resolveRecords } from './records.js';
import {
  diffRows,
  keepsRows,
  loadSnapshotRows,
  NO_ROWS,
  type PreviousRows,
  refRows,
  sameFiles,
  unchangedRows,
} from './rows.js';
import { openSession, type Session } from './session.js';

export interface PlanResult {
  imports: PlanImportEvent[];
  /** sha256 of the plan: what `apply --plan-hash` compares. */
  hash: string;
  summary: PlanSummary;
  /** Every problem: imports.yaml's warnings, the sources', the pre-flight's, and the refusals. */
  diagnostics: Diagnostic[];
}

export interface PlanPassOptions {
  only?: string[] | undefined;
  allowOutside?: boolean | undefined;
  force?: boolean | undefined;
  allowDestructive?: boolean | undefined;
  changedSince?: string | undefined;
  remote?: boolean | undefined;
  /** Submitted imports were asked about first: one still running is not sent again. */
  pendingChecked?: boolean;
}

/** One plan over the session's config and state; the caller disposes the records (command output). */
export interface PlanPass {
  records: ImportRecord[];
  plan: Plan;
  diagnostics: Diagnostic[];
  state: StateFile;
  baseline: Baseline | undefined;
  options: PlanPassOptions;
}

/** Plans without sending anything: what apply would do, and why. */
export async function plan(options: PlanRunOptions = {}): Promise<PlanResult> {
  const session = await openSession(options);
  try {
    const pass = await planPass(session, options);
    try {
      await saveHashCache(session, sourcesOf(pass.records));
      session.emit({ type: 'diagnostics', diagnostics: pass.diagnostics });
      session.emit({ type: 'plan', plan: pass.plan, continued: false });
      return toPlanResult(pass);
    } finally {
      await disposeRecords(pass.records);
    }
  } finally {
    await session.close();
  }
}

export async function planPass(session: Session, options: PlanPassOptions): Promise<PlanPass> {
  const view = options.changedSince ? await readRef(session.config, options.changedSince) : undefined;
  const current = session.writer.current;
  const snapshots = new Map<string, Promise<PreviousRows | undefined>>();
  const loads: Array<() => void> = [];
  // Rows are read (past the hash cache) only where a previous version exists and the files moved from it;
  // the snapshot loads while the files are scanned (once the workers started: it would hold them up).
  const rowsFor = (
    def: ImportDefinition,
    files: ReadonlyArray<{ path: string; hash: string | undefined }>,
  ) => {
    if (!keepsRows(def)) return false;
    if (view) return !view.nullCommit && touchedSince(view, def);
    const entry = current.imports[def.name];
    if (!entry?.rowSnapshot || sameFiles(entry.rowSnapshot.files, files)) return false;
    loads.push(() => {
      const loading = loadSnapshotRows(session.config.statePath, entry, def);
      loading.catch(() => {}); // awaited (and its error thrown) below
      snapshots.set(def.name, loading);
    });
    return true;
  };
  const onScan = () => {
    for (const load of loads.splice(0)) load();
  };
  const records = await resolveRecords(session, options.only, options.allowOutside === true, {
    rowsFor,
    onScan,
  });
  try {
    const ref = view ? refBaseline(view, records) : undefined;
    const state = ref?.state ?? current;
    for (const record of records) await addRows(session, record, view, state, snapshots);
    const pass: PlanPass = {
      records,
      state,
      baseline: ref?.baseline,
      options,
      ...planRecords(session, records, state, ref?.baseline, options),
    };
    if (options.remote) await addLiveFacts(session, pass);
    return pass;
  } catch (error) {
    await disposeRecords(records);
    throw error;
  }
}

/** The row diff against the previous version: the snapshot, or the files at the ref. */
async function addRows(
  session: Session,
  record: ImportRecord,
  view: RefView | undefined,
  state: StateFile,
  snapshots: ReadonlyMap<string, Promise<PreviousRows | undefined>>,
): Promise<void> {
  const { definition: def, source } = record;
  if (!source || !keepsRows(def) || source.files.length === 0) return;
  const previous = await previousRows(session, record, view, state, snapshots);
  if (previous === 'same') record.rows = unchangedRows(source);
  else if (previous) record.rows = diffRows(def, source, previous);
  else if (source.files.some((f) => f.rowHashes !== undefined)) {
    // scanned for a diff that has nothing to compare with (the snapshot is gone): repeats are still looked for
    diffRows(def, source, NO_ROWS);
  }
  // The per-row hashes are spent: what apply needs (which rows a delta sends, which keys go) is in the diff.
  for (const file of source.files) delete file.rowHashes;
}

/** The previous version's rows; 'same' when the files were not read in rows mode (unchanged since it). */
async function previousRows(
  session: Session,
  { definition: def, source }: ImportRecord,
  view: RefView | undefined,
  state: StateFile,
  snapshots: ReadonlyMap<string, Promise<PreviousRows | undefined>>,
): Promise<PreviousRows | 'same' | undefined> {
  const scanned = source?.files.every((f) => f.rowHashes !== undefined) === true;
  if (view) {
    if (view.nullCommit || !view.old.has(def.name)) return undefined;
    return scanned ? refRows(view, def) : 'same';
  }
  const entry = session.writer.current.imports[def.name];
  if (!entry?.rowSnapshot || !state.imports[def.name]) return undefined;
  if (!scanned) return 'same';
  return snapshots.get(def.name) ?? loadSnapshotRows(session.config.statePath, entry, def);
}

/** The pre-flight for what would run, folded into the plan (unknown database or fields, the delete-share guard). */
export async function addLiveFacts(session: Session, pass: PlanPass): Promise<void> {
  await checkLive(session, pass.records);
  Object.assign(pass, planRecords(session, pass.records, pass.state, pass.baseline, pass.options));
}

/** The pure planner over the records; each record gets its plan entry. */
function planRecords(
  session: Session,
  records: ImportRecord[],
  state: StateFile,
  baseline: Baseline | undefined,
  options: PlanPassOptions,
): Pick<PlanPass, 'plan' | 'diagnostics'> {
  const plan = planImports({
    imports: records,
    state,
    options: {
      ...(options.only ? { only: options.only } : {}),
      force: options.force === true,
      allowDestructive: options.allowDestructive === true,
      pendingChecked: options.pendingChecked === true,
    },
    ...(baseline ? { baseline } : {}),
  });
  const byName = new Map(plan.imports.map((p) => [p.name, p]));
  for (const record of records) record.planned = byName.get(record.definition.name);
  const sourceProblems = records.flatMap((r) => r.source?.diagnostics ?? []);
  const liveProblems = records.flatMap((r) => r.live?.diagnostics ?? []);
  const diagnostics = [
    ...sortDiagnostics([...session.configDiagnostics, ...sourceProblems]),
    ...liveProblems,
    ...planDiagnostics(plan),
  ];
  return { plan, diagnostics };
}

export function toPlanResult(pass: Pick<PlanPass, 'plan' | 'diagnostics'>): PlanResult {
  return {
    imports: pass.plan.imports.map(toImportEvent),
    hash: pass.plan.hash,
    summary: pass.plan.summary,
    diagnostics: pass.diagnostics,
  };
}

export function sourcesOf(records: readonly ImportRecord[]) {
  return records.flatMap((r) => (r.source ? [r.source] : []));
}
