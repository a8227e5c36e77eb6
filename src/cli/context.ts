// What every command receives: parsed options, the reporter chosen for this run, the streams, the environment.
import type { Writable } from 'node:stream';
import type { ExitCode } from '../core/exit-codes.js';
import type { OutputFormat, Reporter } from '../report/reporter.js';

export type { OutputFormat };

export interface GlobalOptions {
  config: string;
  format: OutputFormat;
  quiet: boolean;
  verbose: boolean;
  color: boolean;
  state?: string;
  only?: string[];
}

export interface CommandIo {
  stdout: Writable;
  stderr: Writable;
  /** stderr is a terminal: progress lines may be redrawn. */
  isTTY: boolean;
}

export interface CommandContext<O = Record<string, unknown>> {
  global: GlobalOptions;
  /** The command's own options, as commander parsed them. */
  options: O;
  io: CommandIo;
  /** Chosen once for the run (text, json or github); every line of output goes through it. */
  reporter: Reporter;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

export type CommandHandler<O = Record<string, unknown>> = (ctx: CommandContext<O>) => Promise<ExitCode>;
