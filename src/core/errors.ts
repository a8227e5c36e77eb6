// Errors that abort a command; each carries a stable code, a hint and the exit code it maps to.
import type { Diagnostic, Position } from './diagnostic.js';
import { EXIT, type ExitCode } from './exit-codes.js';

export interface CopernicaSyncErrorOptions {
  cause?: unknown;
  hint?: string;
  position?: Position;
  exitCode?: ExitCode;
  importName?: string;
}

export class CopernicaSyncError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly position: Position | undefined;
  readonly exitCode: ExitCode;
  readonly importName: string | undefined;

  constructor(code: string, message: string, options: CopernicaSyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CopernicaSyncError';
    this.code = code;
    this.hint = options.hint;
    this.position = options.position;
    this.exitCode = options.exitCode ?? EXIT.failure;
    this.importName = options.importName;
  }

  toDiagnostic(): Diagnostic {
    const d: Diagnostic = { severity: 'error', code: this.code, message: this.message };
    if (this.position) d.position = this.position;
    if (this.hint) d.hint = this.hint;
    if (this.importName) d.importName = this.importName;
    return d;
  }
}

export class UsageError extends CopernicaSyncError {
  constructor(message: string, options: Omit<CopernicaSyncErrorOptions, 'exitCode'> = {}) {
    super('E_USAGE', message, { ...options, exitCode: EXIT.usage });
    this.name = 'UsageError';
  }
}

export class ConfigError extends CopernicaSyncError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[], message = 'invalid configuration') {
    super('E_CONFIG', message, { exitCode: EXIT.config });
    this.name = 'ConfigError';
    this.diagnostics = diagnostics;
  }
}
