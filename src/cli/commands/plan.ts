// `plan`: what apply would do, and why; offline unless --remote.
import type { ExitCode } from '../../core/exit-codes.js';
import { assertConfined, type PreparedPlan, preparePlan } from '../../pipeline/prepare-plan.js';
import { saveHashCache } from '../../pipeline/save-hash-cache.js';
import { disposeSources } from '../../sources/resolve-source.js';
import type { CommandContext } from '../context.js';
import { exitCodeForPlan } from '../plan-exit-code.js';
import { maskTokenForGithub, writePlanOutput } from '../write-plan-output.js';

export interface PlanOptions {
  detailedExitcode?: boolean;
  remote?: boolean;
  allowDestructive?: boolean;
  allowOutside?: boolean;
  force?: boolean;
  changedSince?: string;
}

export async function runPlan(ctx: CommandContext<PlanOptions>): Promise<ExitCode> {
  const now = Date.now;
  const prepared = await preparePlan({
    configPath: ctx.global.config,
    cwd: ctx.cwd,
    env: ctx.env,
    ...(ctx.global.state ? { statePath: ctx.global.state } : {}),
    ...(ctx.global.only ? { only: ctx.global.only } : {}),
    force: ctx.options.force === true,
    allowDestructive: ctx.options.allowDestructive === true,
    allowOutside: ctx.options.allowOutside === true,
    now,
  });
  try {
    assertConfined(prepared);
    const final = await refinePlan(ctx, prepared);
    const warn = (message: string) => {
      if (!ctx.global.quiet) ctx.io.stderr.write(`warning: ${message}\n`);
    };
    await saveHashCache(
      final.config.statePath,
      final.sources.values(),
      now(),
      warn,
      prepared.state.hashCache,
    );
    writePlanOutput(ctx, final.plan, final.diagnostics);
    return exitCodeForPlan(final.plan, ctx.options.detailedExitcode === true);
  } finally {
    // Command sources leave their output in temp files until disposed.
    await disposeSources(prepared.sources.values());
  }
}

/** --changed-since narrows the plan; --remote folds the pre-flight into it. */
async function refinePlan(ctx: CommandContext<PlanOptions>, prepared: PreparedPlan): Promise<PreparedPlan> {
  let plan = prepared;
  if (ctx.options.changedSince) {
    // Loaded only when asked for: git runs through execa, which costs ~100 ms to load.
    const { restrictToChangedSince } = await import('../../pipeline/changed-since.js');
    plan = await restrictToChangedSince(plan, ctx.options.changedSince);
  }
  if (!ctx.options.remote) return plan;
  // Loaded only for --remote: the HTTP client (undici) costs an offline plan ~0.1 s of start-up.
  const { readToken } = await import('../../pipeline/create-client.js');
  const { checkRemote } = await import('../../pipeline/remote-checks.js');
  if (ctx.global.format === 'github') maskTokenForGithub(ctx.io.stdout, readToken(plan.config, ctx.env));
  const remote = await checkRemote(plan, {
    env: ctx.env,
    signal: ctx.signal,
    allowDestructive: ctx.options.allowDestructive === true,
  });
  await remote.client.close();
  return remote;
}
