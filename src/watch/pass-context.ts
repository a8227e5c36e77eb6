// The context apply passes print through in watch mode: every line timestamped, no redrawn progress, own abort.
import type { CommandContext } from '../cli/context.js';
import type { ApplyReporterOptions } from '../cli/reporters/apply-events.js';
import { createStampedStream } from './watch-log.js';

export interface PassContext {
  ctx: CommandContext<unknown>;
  reporter: Partial<ApplyReporterOptions>;
}

/** `signal` is aborted only when the shutdown grace time is over, not on the first SIGTERM. */
export function createPassContext(ctx: CommandContext<unknown>, signal: AbortSignal): PassContext {
  // JSON gets a `time` field per event; GitHub annotations must start their line, so only events get a stamp.
  if (ctx.global.format !== 'text') {
    return {
      ctx: { ...ctx, io: { ...ctx.io, isTTY: false }, signal },
      reporter: { timestamps: () => new Date().toISOString() },
    };
  }
  const io = {
    stdout: createStampedStream(ctx.io.stdout),
    stderr: createStampedStream(ctx.io.stderr),
    isTTY: false,
  };
  return { ctx: { ...ctx, io, signal }, reporter: {} };
}
