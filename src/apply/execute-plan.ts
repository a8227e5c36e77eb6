// Runs the imports a plan says will run: dependencies first, bounded concurrency, one per database, state after each.
import type { ImportDefinition } from '../config/types.js';
import type { ImportRequest, ImportSourceBody } from '../copernica/import-body.js';
import { readImportLines } from '../copernica/import-progress.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { CopernicaSyncError } from '../core/errors.js';
import type { PlannedImport } from '../plan/types.js';
import type { ResolvedSource } from '../sources/types.js';
import type { ApplyEvent, RunOutcome } from './events.js';
import { buildImportRequest, type ImportApi } from './import-request.js';
import { type JobOutcome, type ScheduledJob, scheduleNext } from './schedule.js';

export interface RunRecord {
  name: string;
  outcome: Exclude<RunOutcome, 'skipped'>;
  importId?: string;
  /** per-file mode: the file this run imported. */
  file?: string;
  error?: string;
}

/** One import to run: its definition, resolved source and plan entry (with the database ID from the pre-flight). */
export interface ExecuteRecord {
  definition: ImportDefinition;
  source?: ResolvedSource | undefined;
  planned?: PlannedImport | undefined;
}

export interface ExecuteInput {
  /** In plan order; those the plan says will run are run. */
  records: readonly ExecuteRecord[];
  api: ImportApi;
  concurrency: number;
  wait: boolean;
  waitTimeoutMs: number;
  signal: AbortSignal;
  now: () => number;
  /** Persists one run's result (the state writer); awaited before the import counts as done. */
  record: (run: RunRecord) => Promise<void>;
  /** Row-level steps (send: changes, the row snapshot, prune), for the imports that keep rows. */
  rows?: RowSteps;
  onEvent: (event: ApplyEvent) => void;
}

export interface RowSteps {
  /** The source of a delta (only the added and changed rows), or undefined to send every row. */
  delta(name: string): ImportSourceBody | undefined;
  /** The import finished (or had no row to send): keep its rows; a prune to send comes back. */
  kept(
    name: string,
    databaseId: number,
  ): Promise<{ prune?: { request: ImportRequest; keys: number; token: string } }>;
  /** Records the prune's outcome. */
  pruned(name: string, token: string, run: Omit<RunRecord, 'name'>): Promise<void>;
}

export interface ImportResult {
  name: string;
  outcome: RunOutcome;
  ids: string[];
  diagnostic?: Diagnostic;
}

export async function executePlan(input: ExecuteInput): Promise<Map<string, ImportResult>> {
  const results = new Map<string, ImportResult>();
  const finished = new Map<string, JobOutcome>();
  const byName = new Map(input.records.map((r) => [r.definition.name, r]));
  let pending: ScheduledJob[] = input.records.flatMap((r) => (r.planned?.willRun ? [toJob(r.planned)] : []));
  const running = new Map<string, { job: ScheduledJob; done: Promise<void> }>();
  while (pending.length > 0 || running.size > 0) {
    const step = input.signal.aborted
      ? { start: [], skip: pending.map((job) => ({ job, because: 'interrupted' })) }
      : scheduleNext(
          { pending, running: [...running.values()].map((r) => r.job), finished },
          input.concurrency,
        );
    for (const { job, because } of step.skip) {
      finished.set(job.name, 'skipped');
      results.set(job.name, { name: job.name, outcome: 'skipped', ids: [] });
      input.onEvent({ type: 'import-skipped', name: job.name, because });
    }
    const leaving = new Set([...step.skip.map((s) => s.job.name), ...step.start.map((j) => j.name)]);
    pending = pending.filter((j) => !leaving.has(j.name));
    for (const job of step.start) {
      const done = runImport(byName.get(job.name), input).then((result) => {
        results.set(job.name, result);
        finished.set(job.name, isDone(result.outcome) ? 'succeeded' : 'failed');
        running.delete(job.name);
      });
      running.set(job.name, { job, done });
    }
    if (running.size > 0) await Promise.race([...running.values()].map((r) => r.done));
    else if (step.start.length === 0 && step.skip.length === 0 && pending.length > 0) {
      throw new CopernicaSyncError(
        'E_INTERNAL_SCHEDULE',
        `cannot schedule ${pending.map((j) => j.name).join(', ')}`,
      );
    }
  }
  return results;
}

/** Sent and accepted: what its dependents need to start. */
export function isDone(outcome: RunOutcome): boolean {
  return outcome === 'finished' || outcome === 'submitted';
}

/** Two imports of one database never run at once (keyed by its ID once the pre-flight knows it). */
function toJob(planned: PlannedImport): ScheduledJob {
  const databaseKey = String(planned.databaseId ?? planned.database);
  return { name: planned.name, dependsOn: planned.dependsOn, databaseKey };
}

async function runImport(record: ExecuteRecord | undefined, input: ExecuteInput): Promise<ImportResult> {
  const { definition: def, source, planned } = record ?? {};
  const databaseId = planned?.databaseId;
  if (!def || !planned || !source || databaseId === undefined) {
    const name = planned?.name ?? def?.name ?? '?';
    throw new CopernicaSyncError(
      'E_INTERNAL',
      `import ${name} is missing its definition, source or database`,
    );
  }
  const name = def.name;
  const files = def.mode === 'per-file' ? planned.runFiles : [undefined];
  const ids: string[] = [];
  const stopped = (result: OneResult): ImportResult => ({
    name,
    outcome: result.outcome,
    ids,
    ...(result.diagnostic ? { diagnostic: result.diagnostic } : {}),
  });
  const delta = input.rows?.delta(name);
  // send: changes with no row added or changed: only the prune runs.
  for (const file of planned.sendRows === 0 ? [] : files) {
    const run = { planned, def, source, databaseId, file };
    const request = delta ? { ...buildImportRequest(run), source: delta } : buildImportRequest(run);
    const result = await runOne(run, input, { request, rows: planned.sendRows ?? rowsOf(run) });
    if (result.id) ids.push(result.id);
    if (!isDone(result.outcome)) return stopped(result);
  }
  if (!input.wait || !input.rows || def.mode !== 'combined') {
    return { name, outcome: input.wait ? 'finished' : 'submitted', ids };
  }
  // Never before the import finished: a failed or unknown run leaves the snapshot (and so the next delta) as it was.
  const { prune } = await input.rows.kept(name, databaseId);
  if (prune) {
    const rows = input.rows;
    const result = await runOne({ planned, def, source, databaseId, file: undefined }, input, {
      request: prune.request,
      rows: prune.keys,
      part: 'prune',
      record: (run) => rows.pruned(name, prune.token, run),
    });
    if (result.id) ids.push(result.id);
    if (!isDone(result.outcome)) return stopped(result);
  }
  return { name, outcome: 'finished', ids };
}

interface OneRun {
  planned: PlannedImport;
  def: ImportDefinition;
  source: ResolvedSource;
  databaseId: number;
  file: string | undefined;
}

interface OneResult {
  outcome: Exclude<RunOutcome, 'skipped'>;
  id?: string;
  diagnostic?: Diagnostic;
}

/** What one POST sends, and how its outcome is recorded (the main import's by default). */
interface OneStep {
  request: ImportRequest;
  rows: number;
  part?: 'prune';
  record?: (run: RunRecord) => Promise<void>;
}

async function runOne(run: OneRun, input: ExecuteInput, step: OneStep): Promise<OneResult> {
  const { planned, def, file } = run;
  const started = input.now();
  const base = { name: def.name, ...(file ? { file } : {}), ...(step.part ? { part: step.part } : {}) };
  const record = step.record ?? input.record;
  input.onEvent({
    type: 'import-start',
    ...base,
    action: String(step.request.parameters.action ?? def.action),
    database: run.databaseId,
    rows: step.rows,
  });
  let id: string | undefined;
  try {
    const created = await input.api.createImport(step.request, {
      // A prune is sent at most once: a key is never deleted twice.
      idempotent: def.action !== 'add' && step.part !== 'prune',
      onProgress: (bytes) => input.onEvent({ type: 'upload-progress', name: def.name, bytes }),
    });
    id = created.id;
    input.onEvent({ type: 'import-created', ...base, id });
    await record({ ...base, outcome: 'submitted', importId: id });
    if (input.wait) await waitFor(id, def.name, input);
    const outcome = input.wait ? 'finished' : 'submitted';
    if (input.wait) await record({ ...base, outcome, importId: id });
    finish(input, base, outcome, id, started);
    return { outcome, id };
  } catch (error) {
    const failure = toFailure(error, planned.name);
    // Copernica accepted it (201): keep it recorded as submitted so no later run sends it twice.
    const recorded = id && failure.outcome === 'unknown' ? 'submitted' : failure.outcome;
    await record({
      ...base,
      outcome: recorded,
      error: failure.diagnostic.message,
      ...(id ? { importId: id } : {}),
    });
    finish(input, base, failure.outcome, id, started, failure.diagnostic);
    return { ...failure, ...(id ? { id } : {}) };
  }
}

function rowsOf(run: OneRun): number {
  if (!run.file) return run.source.rows;
  return run.source.files.find((f) => f.path === run.file)?.rows ?? 0;
}

async function waitFor(id: string, name: string, input: ExecuteInput): Promise<void> {
  await input.api.waitForImport(id, {
    timeoutMs: input.waitTimeoutMs,
    signal: input.signal,
    onProgress: (s) => {
      const lines = readImportLines(s); // `processedlines` or the docs' `processedLines`
      input.onEvent({
        type: 'import-progress',
        name,
        id,
        status: String(s.status ?? ''),
        processed: lines.processed ?? 0,
        total: lines.total ?? 0,
      });
    },
  });
}

function finish(
  input: ExecuteInput,
  base: { name: string; file?: string; part?: 'prune' },
  outcome: RunOutcome,
  id: string | undefined,
  started: number,
  diagnostic?: Diagnostic,
): void {
  input.onEvent({
    type: 'import-finished',
    ...base,
    outcome,
    ids: id ? [id] : [],
    durationMs: Math.max(0, input.now() - started),
    ...(diagnostic ? { code: diagnostic.code, message: diagnostic.message } : {}),
    ...(diagnostic?.hint ? { hint: diagnostic.hint } : {}),
  });
}

function toFailure(
  error: unknown,
  importName: string,
): { outcome: 'failed' | 'unknown'; diagnostic: Diagnostic } {
  if (error instanceof CopernicaSyncError) {
    const diagnostic = { ...error.toDiagnostic(), importName };
    const unknown = ['E_API_UNKNOWN_OUTCOME', 'E_IMPORT_WAIT_TIMEOUT', 'E_ABORTED'].includes(error.code);
    return { outcome: unknown ? 'unknown' : 'failed', diagnostic };
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return {
      outcome: 'unknown',
      diagnostic: { severity: 'error', code: 'E_ABORTED', message: 'interrupted while waiting', importName },
    };
  }
  // Only SyncErrors are expected; anything else is reported without its stack.
  const message = error instanceof Error ? error.message : String(error);
  return { outcome: 'failed', diagnostic: { severity: 'error', code: 'E_INTERNAL', message, importName } };
}
