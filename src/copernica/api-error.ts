// The one place errors about Copernica are built: every message, stack and cause passes through redaction.
import { CopernicaSyncError, type CopernicaSyncErrorOptions } from '../core/errors.js';
import { redactSecrets } from './redact.js';

export type ApiErrorCode =
  | 'E_API_AUTH'
  | 'E_API_STATUS'
  | 'E_API_NETWORK'
  | 'E_API_TIMEOUT'
  | 'E_API_UNKNOWN_OUTCOME'
  | 'E_API_INSECURE_URL'
  | 'E_API_RESPONSE'
  | 'E_ABORTED'
  | 'E_SOURCE_READ'
  | 'E_IMPORT_FAILED'
  | 'E_IMPORT_WAIT_TIMEOUT';

export interface ApiErrorOptions extends CopernicaSyncErrorOptions {
  secrets: string[];
}

export function createApiError(
  code: ApiErrorCode,
  message: string,
  options: ApiErrorOptions,
): CopernicaSyncError {
  const { secrets, cause, ...rest } = options;
  const redact = (text: string): string => redactSecrets(text, secrets);
  const error = new CopernicaSyncError(code, redact(message), {
    ...rest,
    ...(rest.hint === undefined ? {} : { hint: redact(rest.hint) }),
    ...(cause === undefined ? {} : { cause: sanitizeCause(cause, redact, 0) }),
  });
  if (error.stack) error.stack = redact(error.stack);
  return error;
}

/** Copies a cause chain into plain Errors with redacted text, so no library error leaks a URL or header. */
function sanitizeCause(cause: unknown, redact: (text: string) => string, depth: number): Error {
  if (!(cause instanceof Error)) return new Error(redact(String(cause)));
  const copy = new Error(redact(cause.message));
  copy.name = cause.name;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  copy.stack = redact(cause.stack ?? `${cause.name}: ${cause.message}`);
  if (cause.cause !== undefined && depth < 5) copy.cause = sanitizeCause(cause.cause, redact, depth + 1);
  return copy;
}
