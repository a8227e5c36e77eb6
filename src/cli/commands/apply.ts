// `apply`: plan, pre-flight, then run the new and changed imports, recording each in the state as it finishes.
import { UsageError } from '../../core/errors.js';
import type { ExitCode } from '../../core/exit-codes.js';
import { apply } from '../../run/apply.js';
import type { ApplyRunOptions } from '../../run/options.js';
import type { CommandContext } from '../context.js';
import { runEmulatorDemo } from '../emulator-demo.js';
import { runOptions } from './run-options.js';

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
  return (await apply(options)).exitCode;
}

function toApplyOptions(ctx: CommandContext<ApplyCliOptions>): ApplyRunOptions {
  const planHash = ctx.options.planHash?.trim().toLowerCase();
  if (planHash !== undefined && !/^[0-9a-f]{64}$/.test(planHash)) {
    throw new UsageError('--plan-hash must be the 64-character hash that `plan` printed');
  }
  return {
    ...runOptions(ctx),
    force: ctx.options.force === true,
    dryRun: ctx.options.dryRun === true,
    allowDestructive: ctx.options.allowDestructive === true,
    wait: ctx.options.wait !== false,
    waitTimeout: ctx.options.waitTimeout ?? '30m',
    ...(planHash ? { planHash } : {}),
    ...(ctx.options.changedSince ? { changedSince: ctx.options.changedSince } : {}),
  };
}
