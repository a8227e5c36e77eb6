// One watch pass: the same apply pass as the CLI's; when nothing runs, one short line per import says why.
import type { ImportResult } from '../apply/execute-plan.js';
import { isDone } from '../apply/execute-plan.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { CopernicaSyncError } from '../core/errors.js';
import type { Plan, PlannedImport } from '../plan/types.js';
import { type ApplyPassOptions, applyPass } from '../run/apply.js';
import type { Session } from '../run/session.js';
import type { RunVerdict } from './import-queue.js';
import type { WatchLog } from './watch-log.js';

export interface PassDeps {
  session: Session;
  options: Omit<ApplyPassOptions, 'only'>;
  log: WatchLog;
  verbose: boolean;
  /** Prints the diagnostics of an invalid import. */
  writeProblems: (list: readonly Diagnostic[]) => void;
}

/** Runs `only` (or every import) and says, per import, what happened. */
export async function runWatchPass(deps: PassDeps, only?: string[]): Promise<Map<string, RunVerdict>> {
  try {
    const pass = await applyPass(deps.session, {
      ...deps.options,
      ...(only ? { only } : {}),
      quietWhenIdle: true,
    });
    if (pass.results.length === 0) {
      const problems = pass.records.flatMap((r) => [
        ...(r.source?.diagnostics ?? []),
        ...(r.live?.diagnostics ?? []),
      ]);
      for (const planned of inScope(pass.plan, only)) explainIdle(deps, planned, problems);
    }
    return verdictsOf(pass.plan, new Map(pass.results.map((r) => [r.name, r])), only);
  } catch (error) {
    reportPassError(deps.log, error, only);
    return new Map(
      (only ?? deps.session.config.imports.map((d) => d.name)).map((name) => [
        name,
        { kind: 'failed', outcome: 'failed' },
      ]),
    );
  }
}

function inScope(plan: Plan, only: string[] | undefined): PlannedImport[] {
  return plan.imports.filter((p) => !only || only.includes(p.name));
}

/** One short line for an import that will not run: refused and invalid ones say why. */
function explainIdle(deps: PassDeps, planned: PlannedImport, problems: readonly Diagnostic[]): void {
  const { log, verbose } = deps;
  if (planned.status === 'refused') {
    const refusal = planned.refusals[0];
    const why = refusal ? `${refusal.code} ${refusal.message}` : planned.reasons.join('; ');
    log.problem('refused', `${planned.name}: refused (${why}); waiting for a change`, {
      name: planned.name,
      ...(refusal ? { code: refusal.code, hint: refusal.hint } : {}),
    });
  } else if (planned.status === 'invalid') {
    log.problem('invalid', `${planned.name}: invalid; waiting for a change`, { name: planned.name });
    deps.writeProblems(problems.filter((d) => d.importName === planned.name && d.severity === 'error'));
  } else if (planned.blockedBy?.length) {
    log.event('blocked', `${planned.name}: waits for ${planned.blockedBy.join(', ')}`, {
      name: planned.name,
    });
  } else if (planned.status === 'pending') {
    log.event('pending', `${planned.name}: ${planned.reasons[0] ?? 'still running in Copernica'}`, {
      name: planned.name,
    });
  } else if (planned.status === 'unchanged') {
    log.event('unchanged', `${planned.name}: content unchanged, nothing to import`, { name: planned.name });
  } else if (verbose) {
    log.event('idle', `${planned.name}: ${planned.status}`, { name: planned.name });
  }
}

export function verdictsOf(
  plan: Plan,
  results: ReadonlyMap<string, ImportResult>,
  only: string[] | undefined,
): Map<string, RunVerdict> {
  const verdicts = new Map<string, RunVerdict>();
  for (const planned of inScope(plan, only))
    verdicts.set(planned.name, verdictFor(planned, results.get(planned.name)));
  return verdicts;
}

function verdictFor(planned: PlannedImport, result: ImportResult | undefined): RunVerdict {
  if (result) return { kind: isDone(result.outcome) ? 'ran' : 'failed', outcome: result.outcome };
  if (planned.status === 'refused' || planned.status === 'invalid')
    return { kind: 'waiting', outcome: planned.status };
  if (planned.blockedBy?.length) return { kind: 'waiting', outcome: 'blocked' };
  if (planned.status === 'pending') return { kind: 'waiting', outcome: 'pending' };
  if (planned.willRun) return { kind: 'failed', outcome: 'not run' };
  return { kind: 'unchanged', outcome: 'unchanged' };
}

function reportPassError(log: WatchLog, error: unknown, only: string[] | undefined): void {
  const who = only ? `${only.join(', ')}: ` : '';
  if (error instanceof CopernicaSyncError) {
    const hint = error.hint ? ` (hint: ${error.hint})` : '';
    log.problem('error', `${who}${error.code} ${error.message}${hint}`, { code: error.code });
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  log.problem('error', `${who}E_INTERNAL ${message}`, { code: 'E_INTERNAL' });
}
