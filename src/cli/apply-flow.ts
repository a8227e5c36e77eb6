// The apply flow: lock → plan → checks (plan hash, pre-flight) → execute → state → summary and exit code.
import { executePlan, type ImportResult, type RunRecord } from '../apply/execute-plan.js';
import type { SyncConfig } from '../config/types.js';
import type { CopernicaClient } from '../copernica/client.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { CopernicaSyncError } from '../core/errors.js';
import { EXIT, type ExitCode } from '../core/exit-codes.js';
import {
  assertConfined,
  loadValidConfig,
  type PreparedPlan,
  planFromConfig,
} from '../pipeline/prepare-plan.js';
import { checkRemote } from '../pipeline/remote-checks.js';
import { hasNewEntries } from '../pipeline/save-hash-cache.js';
import type { Plan } from '../plan/types.js';
import { disposeSources, toHashCacheEntries } from '../sources/resolve-source.js';
import { acquireLock } from '../state/lock.js';
import { recordApplied } from '../state/record-applied.js';
import { loadState, removeStaleTempFiles } from '../state/state-store.js';
import { createStateWriter, type StateWriter } from '../state/state-writer.js';
import type { CommandContext } from './context.js';
import { exitCodeForApply, exitCodeForPlan } from './plan-exit-code.js';
import { type ApplyReporterOptions, createApplyReporter } from './reporters/apply-events.js';
import { renderApplyMarkdown, renderApplySummary } from './reporters/apply-summary.js';
import { appendStepSummary } from './reporters/step-summary.js';
import { maskTokenForGithub, writePlanOutput } from './write-plan-output.js';

export interface ApplyOptions {
  force: boolean;
  dryRun: boolean;
  allowDestructive: boolean;
  allowOutside: boolean;
  wait: boolean;
  waitTimeoutMs: number;
  planHash?: string;
  changedSince?: string;
  /** Overrides for the in-process emulator demo. */
  override?: { url: string; statePath: string; token: string; tokenEnv: string };
}

/** What stays the same across the passes of one process: config, env, the locked state and its writer. */
export interface ApplySession {
  config: SyncConfig;
  configDiagnostics: Diagnostic[];
  env: NodeJS.ProcessEnv;
  writer: StateWriter;
  /** Created on first use, then reused (v4's JWT is fetched once). */
  client?: CopernicaClient;
}

export interface PassResult {
  exitCode: ExitCode;
  plan: Plan;
  results: Map<string, ImportResult>;
}

export async function runApplyFlow(ctx: CommandContext<unknown>, options: ApplyOptions): Promise<ExitCode> {
  const loaded = await loadValidConfig({
    configPath: ctx.global.config,
    cwd: ctx.cwd,
    env: ctx.env,
    ...(ctx.global.state ? { statePath: ctx.global.state } : {}),
  });
  const { config, env } = withOverride(loaded.config, ctx.env, options);
  if (ctx.global.format === 'github' && !options.dryRun)
    maskTokenForGithub(ctx.io.stdout, env[config.copernica.tokenEnv]);
  const warn = (message: string) => ctx.io.stderr.write(`warning: ${message}\n`);
  const lock = options.dryRun
    ? undefined
    : await acquireLock(config.statePath, { command: 'apply', onWarning: warn });
  try {
    // A crash mid-write can leave a temp file beside the state; only the lock holder may remove it.
    if (lock) await removeStaleTempFiles(config.statePath);
    const writer = createStateWriter(config.statePath, await loadState(config.statePath));
    const session: ApplySession = { config, configDiagnostics: loaded.diagnostics, env, writer };
    try {
      const pass = await runApplyPass(ctx, session, options, {
        ...(ctx.global.only ? { only: ctx.global.only } : {}),
      });
      return pass.exitCode;
    } finally {
      await session.client?.close();
    }
  } finally {
    await lock?.release();
  }
}

/** One plan-and-apply pass over a session; watch mode runs many. */
export async function runApplyPass(
  ctx: CommandContext<unknown>,
  session: ApplySession,
  options: ApplyOptions,
  selection: { only?: string[]; reporter?: Partial<ApplyReporterOptions> },
): Promise<PassResult> {
  let prepared = await planFromConfig(session.config, session.writer.current, session.configDiagnostics, {
    cwd: ctx.cwd,
    ...(selection.only ? { only: selection.only } : {}),
    force: options.force,
    allowDestructive: options.allowDestructive,
    allowOutside: options.allowOutside,
    now: Date.now,
  });
  try {
    assertConfined(prepared);
    if (options.changedSince) {
      // Loaded only when asked for: git runs through execa, which costs ~100 ms to load.
      const { restrictToChangedSince } = await import('../pipeline/changed-since.js');
      prepared = await restrictToChangedSince(prepared, options.changedSince);
    }
    return await applyPrepared(ctx, session, prepared, options, selection.reporter ?? {});
  } finally {
    await disposeSources(prepared.sources.values());
  }
}

async function applyPrepared(
  ctx: CommandContext<unknown>,
  session: ApplySession,
  prepared: PreparedPlan,
  options: ApplyOptions,
  reporter: Partial<ApplyReporterOptions>,
): Promise<PassResult> {
  const noResults = new Map<string, ImportResult>();
  // The reviewed hash may come from `plan` (offline) or `plan --remote` (pre-flight folded in): accept either.
  const offlineMatch = options.planHash === undefined || options.planHash === prepared.plan.hash;
  if (!offlineMatch && (options.dryRun || prepared.plan.summary.toRun === 0))
    refusePlanHash(ctx, prepared, options);
  if (!options.dryRun) await rememberHashes(session, prepared);
  if (options.dryRun || prepared.plan.summary.toRun === 0) {
    writePlanOutput(ctx, prepared.plan, prepared.diagnostics);
    return { exitCode: exitCodeForPlan(prepared.plan, false), plan: prepared.plan, results: noResults };
  }
  const remote = await checkRemote(prepared, {
    env: session.env,
    allowDestructive: options.allowDestructive,
    ...(session.client ? { client: session.client } : {}),
  });
  session.client = remote.client;
  if (!offlineMatch && options.planHash !== remote.plan.hash) refusePlanHash(ctx, remote, options);
  writePlanOutput(ctx, remote.plan, remote.diagnostics, { continued: true });
  const results = await executePlan({
    imports: remote.plan.imports,
    definitions: prepared.definitions,
    sources: prepared.sources,
    databaseIds: remote.databaseIds,
    api: remote.client,
    concurrency: prepared.config.concurrency,
    wait: options.wait,
    waitTimeoutMs: options.waitTimeoutMs,
    signal: ctx.signal,
    now: Date.now,
    record: (run: RunRecord) => session.writer.update((state) => recordRun(state, prepared, run)),
    onEvent: createApplyReporter(ctx.io.stdout, ctx.io.stderr, {
      format: ctx.global.format,
      color: ctx.global.color,
      isTTY: ctx.io.isTTY,
      quiet: ctx.global.quiet,
      ...reporter,
    }),
  });
  await session.writer.flush();
  ctx.io.stdout.write(renderApplySummary(results, remote.plan, ctx.global.format));
  if (ctx.global.format === 'github') appendStepSummary(ctx.env, renderApplyMarkdown(results, remote.plan));
  return { exitCode: exitCodeForApply(results, remote.plan, ctx.signal.aborted), plan: remote.plan, results };
}

function refusePlanHash(ctx: CommandContext<unknown>, prepared: PreparedPlan, options: ApplyOptions): never {
  writePlanOutput(ctx, prepared.plan, prepared.diagnostics);
  throw new CopernicaSyncError(
    'E_PLAN_HASH_MISMATCH',
    `the plan differs from the reviewed one (${options.planHash?.slice(0, 12)}…): nothing was sent`,
    {
      hint: 'run `copernica-sync plan` again, review it, and pass the hash it prints',
      exitCode: EXIT.refused,
    },
  );
}

async function rememberHashes(session: ApplySession, prepared: PreparedPlan): Promise<void> {
  const fresh = toHashCacheEntries(prepared.sources.values(), Date.now());
  if (!hasNewEntries(session.writer.current.hashCache, fresh)) return;
  await session.writer.update((state) => ({ ...state, hashCache: { ...state.hashCache, ...fresh } }));
}

function recordRun(
  state: PreparedPlan['state'],
  prepared: PreparedPlan,
  run: RunRecord,
): PreparedPlan['state'] {
  const def = prepared.definitions.get(run.name);
  const source = prepared.sources.get(run.name);
  if (!def || !source) return state;
  return recordApplied(state, def, source, {
    outcome: run.outcome,
    appliedAt: new Date().toISOString(),
    ...(run.importId ? { importId: run.importId } : {}),
    ...(run.error ? { error: run.error } : {}),
    ...(run.file ? { files: [run.file] } : {}),
  });
}

function withOverride(config: SyncConfig, env: NodeJS.ProcessEnv, options: ApplyOptions) {
  const o = options.override;
  if (!o) return { config, env };
  return {
    config: {
      ...config,
      statePath: o.statePath,
      copernica: { ...config.copernica, url: o.url, tokenEnv: o.tokenEnv },
    },
    env: { ...env, [o.tokenEnv]: o.token },
  };
}
