// `watch`: apply what changed while nobody watched, then apply again whenever a source or imports.yaml changes.
import { parseDuration } from '../../core/duration.js';
import { UsageError } from '../../core/errors.js';
import type { ExitCode } from '../../core/exit-codes.js';
import { runWatchSession, type WatchOptions } from '../../watch/watch-session.js';
import type { CommandContext } from '../context.js';
import { runOptions } from './run-options.js';

export interface WatchCliOptions {
  debounce?: string;
  poll?: boolean;
  healthPort?: string;
  healthHost?: string;
  allowDestructive?: boolean;
  allowOutside?: boolean;
  waitTimeout?: string;
  shutdownTimeout?: string;
  retryBackoff?: string;
  maxBackoff?: string;
}

export async function runWatch(ctx: CommandContext<WatchCliOptions>): Promise<ExitCode> {
  const options = toWatchOptions(ctx.options);
  const { signal: _signal, onEvent: _onEvent, ...run } = runOptions(ctx);
  return runWatchSession(
    {
      run,
      statePath: ctx.global.state,
      only: ctx.global.only,
      reporter: ctx.reporter,
      verbose: ctx.global.verbose,
      signal: ctx.signal,
    },
    options,
  );
}

export function toWatchOptions(raw: WatchCliOptions): WatchOptions {
  const debounceMs = duration('--debounce', raw.debounce ?? '1000', 0);
  return {
    debounceMs,
    poll: raw.poll === true,
    ...(raw.healthPort === undefined ? {} : { healthPort: port(raw.healthPort) }),
    healthHost: raw.healthHost ?? '127.0.0.1',
    allowDestructive: raw.allowDestructive === true,
    allowOutside: raw.allowOutside === true,
    waitTimeoutMs: duration('--wait-timeout', raw.waitTimeout ?? '30m', 1),
    shutdownTimeoutMs: duration('--shutdown-timeout', raw.shutdownTimeout ?? '30s', 0),
    backoffBaseMs: duration('--retry-backoff', raw.retryBackoff ?? '1m', 1),
    backoffMaxMs: duration('--max-backoff', raw.maxBackoff ?? '15m', 1),
    // Short enough to keep write→import latency near the debounce, long enough to see a copy still growing.
    stabilityMs: Math.min(50, Math.max(20, debounceMs)),
  };
}

function duration(flag: string, value: string, min: number): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms < min) {
    throw new UsageError(`${flag}: '${value}' is not a duration`, {
      hint: 'use milliseconds or a unit, e.g. 500, 500ms, 30s, 15m',
    });
  }
  return ms;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new UsageError(`--health-port: '${value}' is not a port number`, {
      hint: 'use 0..65535 (0 picks a free port)',
    });
  }
  return n;
}
