// Parses argv with commander, chooses the reporter, runs the handler, maps every outcome to an exit code.
import { Command, CommanderError, Option } from 'commander';
import { CopernicaSyncError, UsageError } from '../core/errors.js';
import { EXIT, EXIT_CODE_TABLE, type ExitCode } from '../core/exit-codes.js';
import { createReporter, type Reporter } from '../report/reporter.js';
import { COMMANDS, type CommandSpec, type CommonOption } from './commands/registry.js';
import type { CommandContext, CommandIo, GlobalOptions, OutputFormat } from './context.js';
import { readPackageVersion } from './version.js';

export interface RunCliOptions extends CommandIo {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
  /** Told which command runs, before it starts (main.ts uses it for signal handling). */
  onCommandStart?: (spec: CommandSpec) => void;
}

export async function runCli(argv: string[], io: RunCliOptions): Promise<ExitCode> {
  const env = io.env ?? process.env;
  const bare = argv.length === 0;
  let selected: { spec: CommandSpec; command: Command } | undefined;
  const program = createProgram(io, env, (spec, command) => {
    selected = { spec, command };
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    // commander shows help for a bare invocation; that is still a usage error, not success.
    return bare ? EXIT.usage : exitCodeForParseError(error);
  }
  if (!selected) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  return runSelected(selected.spec, selected.command, io, env);
}

async function runSelected(spec: CommandSpec, command: Command, io: RunCliOptions, env: NodeJS.ProcessEnv) {
  const raw = command.opts<Record<string, unknown>>();
  const global = toGlobalOptions(raw, env, io);
  const reporter = createReporter({
    format: global.format,
    stdout: io.stdout,
    stderr: io.stderr,
    color: global.color,
    quiet: global.quiet,
    verbose: global.verbose,
    isTTY: io.isTTY,
    env,
    ...(spec.timestamps ? { timestamps: () => new Date().toISOString() } : {}),
  });
  const ctx: CommandContext = {
    global,
    options: raw,
    io,
    reporter,
    env,
    cwd: io.cwd ?? process.cwd(),
    signal: io.signal ?? new AbortController().signal,
  };
  io.onCommandStart?.(spec);
  try {
    checkOnly(raw.only);
    const handler = await spec.load();
    return await handler(ctx);
  } catch (error) {
    return reportAbort(error, reporter, io, global.verbose);
  }
}

/** Turns a thrown error into output and an exit code; a user error never shows a stack trace. */
export function reportAbort(error: unknown, reporter: Reporter, io: CommandIo, verbose: boolean): ExitCode {
  if (error instanceof CopernicaSyncError) {
    const diagnostics = 'diagnostics' in error && Array.isArray(error.diagnostics) ? error.diagnostics : [];
    reporter.diagnostics(diagnostics.length > 0 ? diagnostics : [error.toDiagnostic()]);
    if (verbose && error.cause) io.stderr.write(`cause: ${describeCause(error.cause)}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(
    `error E_INTERNAL ${message}\n  hint: this is a bug in copernica-sync; please report it with --verbose output\n`,
  );
  if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT.failure;
}

/** An OS error says its code and syscall: what a person needs to see why. */
function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const { code, syscall } = cause as NodeJS.ErrnoException;
  return [
    cause.message,
    code && !cause.message.includes(code) ? `(${code}${syscall ? ` ${syscall}` : ''})` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** `--only ""` (an empty CI variable) must not quietly mean "everything". */
function checkOnly(raw: unknown): void {
  if (typeof raw !== 'string' || raw.split(',').some((name) => name.trim() !== '')) return;
  throw new UsageError('--only names no import', {
    hint: 'name one or more imports (comma-separated), or leave out --only to run them all',
  });
}

function createProgram(
  io: CommandIo,
  env: NodeJS.ProcessEnv,
  onSelect: (spec: CommandSpec, command: Command) => void,
): Command {
  const program = new Command('copernica-sync')
    .description('Keep Copernica databases in step with the data files you keep in git.')
    .version(readPackageVersion(), '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s.replace(/^error: /, 'error E_USAGE ')),
    })
    .addHelpText('after', renderExitCodeHelp());
  for (const spec of COMMANDS) {
    const command = program.command(spec.name).description(spec.summary);
    command.exitOverride().showSuggestionAfterError(true);
    addCommonOptions(command, spec.common, env);
    for (const [flags, description, defaultValue] of spec.options) {
      command.addOption(new Option(flags, description).default(defaultValue));
    }
    command.allowExcessArguments(false);
    command.addHelpText('after', renderExitCodeHelp());
    command.action(() => onSelect(spec, command));
  }
  return program;
}

function addCommonOptions(command: Command, common: readonly CommonOption[], env: NodeJS.ProcessEnv): void {
  const defaultFormat: OutputFormat = env.GITHUB_ACTIONS === 'true' ? 'github' : 'text';
  const options: Record<CommonOption, () => Option> = {
    config: () => new Option('-c, --config <file>', 'the imports file').default('imports.yaml'),
    format: () =>
      new Option('--format <format>', 'output format')
        .choices(['text', 'json', 'github'])
        .default(defaultFormat),
    state: () => new Option('--state <file>', 'state file (default: from imports.yaml)'),
    only: () => new Option('--only <names>', 'only these imports (comma-separated), with their dependencies'),
    quiet: () => new Option('-q, --quiet', 'print only problems and the summary line'),
    verbose: () => new Option('-v, --verbose', 'print more, including the causes of errors'),
    color: () => new Option('--no-color', 'no ANSI colours (also NO_COLOR)'),
  };
  for (const name of common) command.addOption(options[name]());
}

function toGlobalOptions(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, io: CommandIo): GlobalOptions {
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const isTTY = 'isTTY' in io.stderr && io.stderr.isTTY === true;
  const global: GlobalOptions = {
    config: String(raw.config ?? 'imports.yaml'),
    format: (raw.format as OutputFormat | undefined) ?? (env.GITHUB_ACTIONS === 'true' ? 'github' : 'text'),
    quiet: raw.quiet === true,
    verbose: raw.verbose === true,
    color: raw.color !== false && !noColorEnv && isTTY && env.FORCE_COLOR !== '0',
  };
  if (typeof raw.state === 'string') global.state = raw.state;
  if (typeof raw.only === 'string') {
    global.only = raw.only
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }
  return global;
}

function exitCodeForParseError(error: unknown): ExitCode {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
    if (error.code === 'commander.help') return EXIT.ok;
    return EXIT.usage;
  }
  return EXIT.usage;
}

function renderExitCodeHelp(): string {
  const lines = EXIT_CODE_TABLE.map(([code, meaning]) => `  ${String(code).padStart(3)}  ${meaning}`);
  return `\nExit codes:\n${lines.join('\n')}\n`;
}
