// `apply`: plan, pre-flight, then run the new and changed imports, recording each in the state as it finishes.
import { parseDuration } from '../../core/duration.js';
import { UsageError } from '../../core/errors.js';
import type { ExitCode } from '../../core/exit-codes.js';
import { type ApplyOptions, runApplyFlow } from '../apply-flow.js';
import type { CommandContext } from '../context.js';
import { runEmulatorDemo } from '../emulator-demo.js';

export interface ApplyCliOptions {
  force?: boolean;
  dryRun?: boolean;
  allowDestructive?: boolean;
  allowOutside?: boolean;
  planHash?: string;
  wait?: boolean;
  waitTimeout?: string;
  emulator?: boolean;
  changedSince?: string;
}

export async function runApply(ctx: CommandContext<ApplyCliOptions>): Promise<ExitCode> {
  const options = toApplyOptions(ctx);
  if (ctx.options.emulator) return runEmulatorDemo(ctx, options);
  return runApplyFlow(ctx, options);
}

function toApplyOptions(ctx: CommandContext<ApplyCliOptions>): ApplyOptions {
  const waitTimeoutMs = parseDuration(ctx.options.waitTimeout ?? '30m');
  if (waitTimeoutMs === undefined || waitTimeoutMs <= 0) {
    throw new UsageError(`--wait-timeout: '${ctx.options.waitTimeout}' is not a duration`, {
      hint: 'use a number with a unit, e.g. 90s, 30m or 2h',
    });
  }
  const planHash = ctx.options.planHash?.trim().toLowerCase();
  if (planHash !== undefined && !/^[0-9a-f]{64}$/.test(planHash)) {
    throw new UsageError('--plan-hash must be the 64-character hash that `plan` printed');
  }
  return {
    force: ctx.options.force === true,
    dryRun: ctx.options.dryRun === true,
    allowDestructive: ctx.options.allowDestructive === true,
    allowOutside: ctx.options.allowOutside === true,
    wait: ctx.options.wait !== false,
    waitTimeoutMs,
    ...(planHash ? { planHash } : {}),
    ...(ctx.options.changedSince ? { changedSince: ctx.options.changedSince } : {}),
  };
}
