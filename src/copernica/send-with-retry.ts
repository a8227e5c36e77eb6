// The retry loop: one attempt at a time, the pure policy decides, errors are built (and redacted) here.
import { CopernicaSyncError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { type ApiErrorCode, type ApiErrorOptions, createApiError } from './api-error.js';
import {
  type AttemptContext,
  type AttemptResult,
  type HttpAttempt,
  type HttpResponse,
  sendAttempt,
} from './http-attempt.js';
import { redactSecrets } from './redact.js';
import { extractErrorMessage, headerValue } from './response-text.js';
import { decideRetry, type RequestFailure } from './retry-policy.js';
import type { ClientEvent } from './types.js';

export interface RetryContext extends AttemptContext {
  retry: { attempts: number; maxDelayMs: number };
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  now: () => number;
  onEvent: (event: ClientEvent) => void;
  /** Everything that must never be shown: the token and the current JWT. */
  secrets: () => string[];
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  /** For messages and events: never contains the token. */
  label: string;
  /** Built per try: the v4 JWT may have been refreshed in between. */
  build: () => Promise<Omit<HttpAttempt, 'method'>>;
  idempotent: boolean;
  /** A POST imports: an unknown outcome is reported as such. */
  mutating: boolean;
  /** v4: drop the cached JWT after a 401 and try once more with a fresh one. */
  refreshAuth?: () => void;
  /** The v4 authenticate call: any 400-403 means the token was refused. */
  authEndpoint?: boolean;
}

type StatusFailure = Extract<RequestFailure, { kind: 'status' }>;

const FAILURE_CODES = { status: 'E_API_STATUS', network: 'E_API_NETWORK', timeout: 'E_API_TIMEOUT' } as const;
const MAY_HAVE_IMPORTED = 'may or may not have been imported';

export async function sendWithRetry(ctx: RetryContext, spec: RequestSpec): Promise<HttpResponse> {
  let refreshed = false;
  for (let attempt = 1; ; attempt += 1) {
    const result = await sendAttempt(ctx, { ...(await spec.build()), method: spec.method });
    if (result.kind === 'response' && result.response.status < 400) return result.response;
    if (!refreshed && spec.refreshAuth && result.kind === 'response' && result.response.status === 401) {
      refreshed = true;
      spec.refreshAuth();
      attempt -= 1; // a stale JWT is not the server's failure
      continue;
    }
    const { failure, cause } = readFailure(ctx, spec, result);
    const decision = decideRetry({
      attempt,
      maxAttempts: ctx.retry.attempts,
      maxDelayMs: ctx.retry.maxDelayMs,
      idempotent: spec.idempotent,
      failure,
      random: ctx.random(),
      nowMs: ctx.now(),
    });
    if (!decision.retry) throw finalError(ctx, spec, failure, decision, cause);
    await waitBeforeRetry(ctx, spec, attempt, decision);
  }
}

/** What went wrong, for the policy; throws at once for what no retry can fix (abort, source, auth). */
function readFailure(
  ctx: RetryContext,
  spec: RequestSpec,
  result: AttemptResult,
): { failure: RequestFailure; cause?: unknown } {
  switch (result.kind) {
    case 'aborted':
      throw abortedError(ctx, spec, result.cause);
    case 'source-failed':
      throw sourceError(ctx, spec, result.cause);
    case 'failure':
      return result;
    case 'response': {
      const failure = statusFailure(result.response);
      if (isAuthFailure(failure, spec.authEndpoint === true)) {
        const hint = 'check the access token (the environment variable named by copernica.tokenEnv)';
        throw requestError(ctx, spec, 'E_API_AUTH', failure.message ?? `HTTP ${failure.status}`, { hint });
      }
      return { failure };
    }
  }
}

async function waitBeforeRetry(
  ctx: RetryContext,
  spec: RequestSpec,
  attempt: number,
  decision: { delayMs: number; reason: string },
): Promise<void> {
  ctx.onEvent({
    type: 'retry',
    method: spec.method,
    path: spec.label,
    attempt,
    maxAttempts: ctx.retry.attempts,
    delayMs: decision.delayMs,
    reason: redactSecrets(decision.reason, ctx.secrets()),
  });
  try {
    await ctx.sleep(decision.delayMs, ctx.signal);
  } catch (error) {
    throw abortedError(ctx, spec, error);
  }
}

function statusFailure(response: HttpResponse): StatusFailure {
  const retryAfter = headerValue(response.headers, 'retry-after');
  return { kind: 'status', status: response.status, retryAfter, message: extractErrorMessage(response.text) };
}

function isAuthFailure(failure: StatusFailure, authEndpoint: boolean): boolean {
  if (authEndpoint && failure.status >= 400 && failure.status <= 403) return true;
  return failure.status === 401 || /invalid access token/i.test(failure.message ?? '');
}

function finalError(
  ctx: RetryContext,
  spec: RequestSpec,
  failure: RequestFailure,
  decision: { reason: string; unknownOutcome: boolean },
  cause: unknown,
): CopernicaSyncError {
  if (!decision.unknownOutcome || !spec.mutating) {
    return requestError(ctx, spec, FAILURE_CODES[failure.kind], decision.reason, { cause });
  }
  return requestError(ctx, spec, 'E_API_UNKNOWN_OUTCOME', withOutcome(decision.reason), {
    cause,
    hint: 'check the import in Copernica (status --live) before running it again',
  });
}

/** The source's own CopernicaSyncError (a read or command failure) passes through; anything else is wrapped. */
function sourceError(ctx: RetryContext, spec: RequestSpec, cause: unknown): CopernicaSyncError {
  if (cause instanceof CopernicaSyncError) return cause;
  const text = cause instanceof Error ? cause.message : String(cause);
  return requestError(ctx, spec, 'E_SOURCE_READ', `reading the source failed: ${text}`, { cause });
}

function abortedError(ctx: RetryContext, spec: RequestSpec, cause: unknown): CopernicaSyncError {
  const text = spec.mutating ? withOutcome('interrupted') : 'interrupted';
  return requestError(ctx, spec, 'E_ABORTED', text, { cause, exitCode: EXIT.interrupted });
}

function withOutcome(text: string): string {
  return text.includes(MAY_HAVE_IMPORTED) ? text : `${text}: ${MAY_HAVE_IMPORTED}`;
}

/** An error about this request: its method and label first, every secret redacted. */
function requestError(
  ctx: RetryContext,
  spec: RequestSpec,
  code: ApiErrorCode,
  text: string,
  options: Omit<ApiErrorOptions, 'secrets'> = {},
): CopernicaSyncError {
  return createApiError(code, `${spec.method} ${spec.label}: ${text}`, {
    ...options,
    secrets: ctx.secrets(),
  });
}
