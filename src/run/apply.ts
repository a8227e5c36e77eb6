// apply: lock → ask about submitted imports → plan → plan hash → pre-flight → run → state → summary.

import type { RunOutcome } from '../apply/events.js';
import { executePlan, type ImportResult } from '../apply/execute-plan.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { parseDuration } from '../core/duration.js';
import { CopernicaSyncError, UsageError } from '../core/errors.js';
import { EXIT, type ExitCode } from '../core/exit-codes.js';
import { type PlanImportEvent, toImportEvent } from '../plan/import-event.js';
import { selectImports } from '../plan/select-imports.js';
import type { Plan } from '../plan/types.js';
import { recordApplied } from '../state/record-applied.js';
import type { StateFile } from '../state/types.js';
import { exitCodeForApply, exitCodeForPlan } from './exit-code.js';
import { saveHashCache } from './hash-cache.js';
import type { ApplyRunOptions } from './options.js';
import { addLiveFacts, type PlanPass, planPass, sourcesOf } from './plan.js';
import { disposeRecords, type ImportRecord } from './records.js';
import { resolveSubmitted } from './resolve-submitted.js';
import { deltaSource, keepRows, recordPrune } from './row-steps.js';
import { keepsRows } from './rows.js';
import { openSession, type Session } from './session.js';

/** An import after apply: its plan entry, and what happened to it when it ran. */
export type AppliedImportEvent = PlanImportEvent & {
  outcome?: RunOutcome;
  importIds?: string[];
  error?: Diagnostic;
};

export interface ApplyResult {
  imports: AppliedImportEvent[];
  exitCode: ExitCode;
}

export interface ApplySummary {
  /** Finished in Copernica. */
  succeeded: number;
  submitted: number;
  failed: number;
  unknown: number;
  skipped: number;
  unchanged: number;
  pending: number;
  refused: number;
  invalid: number;
  planHash: string;
}

const DEFAULT_WAIT_TIMEOUT = '30m';

/** Runs the new and changed imports; throws CopernicaSyncError for what stops the whole run. */
export async function apply(options: ApplyRunOptions = {}): Promise<ApplyResult> {
  const waitTimeoutMs = readWaitTimeout(options.waitTimeout);
  const session = await openSession(options, options.dryRun ? {} : { lockFor: 'apply' });
  try {
    const pass = await applyPass(session, { ...options, waitTimeoutMs });
    return {
      imports: pass.records.flatMap((r) => (r.planned ? [toAppliedEvent(r)] : [])),
      exitCode: pass.exitCode,
    };
  } finally {
    await session.close();
  }
}

export interface ApplyPassOptions extends Omit<ApplyRunOptions, 'waitTimeout'> {
  waitTimeoutMs: number;
  /** Watch: when nothing runs, the plan is not announced (watch says it its own way). */
  quietWhenIdle?: boolean;
}

export interface ApplyPass {
  records: ImportRecord[];
  plan: Plan;
  /** Nothing ran when empty. */
  results: ImportResult[];
  exitCode: ExitCode;
}

/** One plan-and-apply pass over a session; watch runs many. */
export async function applyPass(session: Session, options: ApplyPassOptions): Promise<ApplyPass> {
  if (!options.dryRun) {
    const names = selectImports(session.config.imports, options.only).map((d) => d.name);
    await resolveSubmitted(session, names);
  }
  const pass = await planPass(session, { ...options, remote: false, pendingChecked: !options.dryRun });
  try {
    const offlineHash = pass.plan.hash;
    if (!options.dryRun) await saveHashCache(session, sourcesOf(pass.records));
    if (options.dryRun || pass.plan.summary.toRun === 0) {
      if (options.planHash !== undefined && options.planHash !== offlineHash)
        refusePlanHash(session, pass, options.planHash);
      if (!options.quietWhenIdle) announce(session, pass, false);
      return {
        records: pass.records,
        plan: pass.plan,
        results: [],
        exitCode: exitCodeForPlan(pass.plan, false),
      };
    }
    await addLiveFacts(session, pass);
    // The reviewed hash may come from `plan` (offline) or `plan --remote` (pre-flight folded in): either will do.
    const hashes = [offlineHash, pass.plan.hash];
    if (options.planHash !== undefined && !hashes.includes(options.planHash))
      refusePlanHash(session, pass, options.planHash);
    announce(session, pass, true);
    const results = await runPlanned(session, pass, options);
    const summary = summarizeApply(results, pass.plan);
    session.emit({ type: 'apply-summary', summary, results });
    return {
      records: pass.records,
      plan: pass.plan,
      results,
      exitCode: exitCodeForApply(results, pass.plan, session.signal.aborted),
    };
  } finally {
    await disposeRecords(pass.records);
  }
}

async function runPlanned(
  session: Session,
  pass: PlanPass,
  options: ApplyPassOptions,
): Promise<ImportResult[]> {
  const byName = new Map(pass.records.map((r) => [r.definition.name, r]));
  const results = await executePlan({
    records: pass.records,
    api: session.client(),
    concurrency: session.config.concurrency,
    wait: options.wait !== false,
    waitTimeoutMs: options.waitTimeoutMs,
    signal: session.signal,
    now: Date.now,
    record: (run) =>
      session.writer.update((state) => {
        const record = byName.get(run.name);
        return record ? recordRun(state, record, run) : state;
      }),
    onEvent: (event) => session.emit(event),
    rows: {
      delta: (name) => {
        const record = byName.get(name);
        return record ? deltaSource(record) : undefined;
      },
      kept: async (name, databaseId) => {
        const record = byName.get(name);
        return record && keepsRows(record.definition) ? keepRows(session, record, databaseId) : {};
      },
      pruned: (name, token, run) => recordPrune(session, name, token, run),
    },
  });
  await session.writer.flush();
  for (const [name, result] of results) {
    const record = byName.get(name);
    if (record) record.result = result;
  }
  return [...results.values()];
}

function recordRun(
  state: StateFile,
  record: ImportRecord,
  run: { outcome: Exclude<RunOutcome, 'skipped'>; importId?: string; error?: string; file?: string },
): StateFile {
  if (!record.source) return state;
  return recordApplied(state, record.definition, record.source, {
    outcome: run.outcome,
    appliedAt: new Date().toISOString(),
    ...(run.importId ? { importId: run.importId } : {}),
    ...(run.error ? { error: run.error } : {}),
    ...(run.file ? { files: [run.file] } : {}),
  });
}

function announce(session: Session, pass: PlanPass, continued: boolean): void {
  session.emit({ type: 'diagnostics', diagnostics: pass.diagnostics });
  session.emit({ type: 'plan', plan: pass.plan, continued });
}

function refusePlanHash(session: Session, pass: PlanPass, reviewed: string): never {
  announce(session, pass, false);
  throw new CopernicaSyncError(
    'E_PLAN_HASH_MISMATCH',
    `the plan differs from the reviewed one (${reviewed.slice(0, 12)}…): nothing was sent`,
    {
      hint: 'run `copernica-sync plan` again, review it, and pass the hash it prints',
      exitCode: EXIT.refused,
    },
  );
}

export function summarizeApply(results: readonly ImportResult[], plan: Plan): ApplySummary {
  const count = (outcome: RunOutcome) => results.filter((r) => r.outcome === outcome).length;
  return {
    succeeded: count('finished'),
    submitted: count('submitted'),
    failed: count('failed'),
    unknown: count('unknown'),
    skipped: count('skipped'),
    unchanged: plan.summary.unchanged,
    pending: plan.summary.pending,
    refused: plan.summary.refused,
    invalid: plan.summary.invalid,
    planHash: plan.hash,
  };
}

function toAppliedEvent(record: ImportRecord): AppliedImportEvent {
  const event: AppliedImportEvent = toImportEvent(record.planned as NonNullable<ImportRecord['planned']>);
  if (!record.result) return event;
  return {
    ...event,
    outcome: record.result.outcome,
    importIds: record.result.ids,
    ...(record.result.diagnostic ? { error: record.result.diagnostic } : {}),
  };
}

export function readWaitTimeout(value: number | string | undefined): number {
  const ms = parseDuration(value ?? DEFAULT_WAIT_TIMEOUT);
  if (ms === undefined || ms <= 0) {
    throw new UsageError(`--wait-timeout: '${String(value)}' is not a duration`, {
      hint: 'use a number with a unit, e.g. 90s, 30m or 2h',
    });
  }
  return ms;
}
