// `copernica-sync emulator`: serves the Copernica emulator until SIGINT/SIGTERM, then exits 0.
import { resolve } from 'node:path';
import { CopernicaSyncError, UsageError } from '../../core/errors.js';
import { EXIT, type ExitCode } from '../../core/exit-codes.js';
import { type EmulatorOptions, startEmulator } from '../../emulator/start-emulator.js';
import type { CommandContext } from '../context.js';

export interface EmulatorCommandOptions {
  port?: string;
  host?: string;
  token?: string;
  seed?: string;
  data?: string;
  importDelay?: string;
  failRate?: string;
  latency?: string;
  rateLimit?: string;
}

export async function runEmulator(ctx: CommandContext<EmulatorCommandOptions>): Promise<ExitCode> {
  const options = parseEmulatorOptions(ctx);
  const supplied = options.token !== undefined;
  const emulator = await startEmulator(options).catch((error: unknown) => {
    if (error instanceof CopernicaSyncError) throw error;
    throw new CopernicaSyncError('E_EMULATOR_LISTEN', `cannot listen on ${options.host}:${options.port}`, {
      cause: error,
      hint: 'pick another --port (0 = any free port)',
    });
  });
  ctx.io.stdout.write(`Copernica emulator listening on ${emulator.url}\n`);
  ctx.io.stdout.write(
    `  v3: ${emulator.url}/v3  v4: ${emulator.url}/v4  auth (COPERNICA_AUTH_URL): ${emulator.authUrl}\n`,
  );
  // A made-up token is printed once so the user can use it; a supplied one never is.
  if (!supplied) ctx.io.stdout.write(`  access token (generated): ${emulator.token}\n`);
  ctx.io.stdout.write('Press Ctrl+C to stop.\n');
  await waitForStop(ctx.signal);
  await emulator.close();
  ctx.io.stderr.write('emulator stopped\n');
  return EXIT.ok;
}

function parseEmulatorOptions(ctx: CommandContext<EmulatorCommandOptions>): EmulatorOptions {
  const o = ctx.options;
  const options: EmulatorOptions = {
    port: parseNumber('--port', o.port ?? '8787', 0, 65535, true),
    host: o.host ?? '127.0.0.1',
    importDelayMs: parseNumber('--import-delay', o.importDelay ?? '200', 0, 3_600_000, true),
    failRate: parseNumber('--fail-rate', o.failRate ?? '0', 0, 1, false),
    latencyMs: parseNumber('--latency', o.latency ?? '0', 0, 600_000, true),
    rateLimitPerSecond: parseNumber('--rate-limit', o.rateLimit ?? '0', 0, 1_000_000, true),
  };
  const token = o.token ?? nonEmpty(ctx.env.COPERNICA_ACCESS_TOKEN);
  if (token !== undefined) options.token = token;
  if (o.seed) options.seed = resolve(ctx.cwd, o.seed);
  if (o.data) options.dataFile = resolve(ctx.cwd, o.data);
  return options;
}

function parseNumber(flag: string, raw: string, min: number, max: number, integer: boolean): number {
  const value = Number(raw.trim().replace(/\/s$/, ''));
  const ok = raw.trim() !== '' && Number.isFinite(value) && value >= min && value <= max;
  if (!ok || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** main.ts aborts ctx.signal on SIGINT/SIGTERM (the command is registered with handlesSignals). */
function waitForStop(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((done) => signal.addEventListener('abort', () => done(), { once: true }));
}
