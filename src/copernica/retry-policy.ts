// Decides whether a failed request is tried again: pure, so every rule of DESIGN.md section 5 is table-tested.

export type RequestFailure =
  | { kind: 'status'; status: number; retryAfter?: string; message?: string }
  | { kind: 'network'; phase: 'before-send' | 'after-send'; code?: string }
  | { kind: 'timeout'; phase: 'connect' | 'headers' | 'body' };

export interface RetryInput {
  /** 1-based: the try that just failed. */
  attempt: number;
  maxAttempts: number;
  maxDelayMs: number;
  idempotent: boolean;
  failure: RequestFailure;
  /** 0..1, for jitter. */
  random: number;
  /** Now, to read a Retry-After date. */
  nowMs: number;
}

export type RetryDecision =
  | { retry: true; delayMs: number; reason: string }
  | { retry: false; reason: string; unknownOutcome: boolean };

const BACKOFF_BASE_MS = 500;

type FailureClass = 'transient' | 'unknown' | 'fatal';

export function decideRetry(input: RetryInput): RetryDecision {
  const { failure } = input;
  const reason = describeFailure(failure);
  const failureClass = classifyFailure(failure);
  if (failureClass === 'fatal') return { retry: false, reason, unknownOutcome: false };
  if (failureClass === 'unknown' && !input.idempotent) {
    return { retry: false, reason: `${reason}: may or may not have been imported`, unknownOutcome: true };
  }
  if (input.attempt >= input.maxAttempts) {
    return {
      retry: false,
      reason: `${reason} (gave up after ${input.attempt} attempts)`,
      unknownOutcome: failureClass === 'unknown',
    };
  }
  return { retry: true, delayMs: computeDelay(input), reason };
}

/** transient: the request surely did nothing; unknown: it may have been processed; fatal: retrying cannot help. */
function classifyFailure(failure: RequestFailure): FailureClass {
  switch (failure.kind) {
    case 'status':
      if (failure.status === 429 || failure.status === 502 || failure.status === 503) return 'transient';
      if (failure.status === 504) return 'unknown';
      return 'fatal';
    case 'network':
      return failure.phase === 'before-send' ? 'transient' : 'unknown';
    case 'timeout':
      return failure.phase === 'connect' ? 'transient' : 'unknown';
  }
}

function computeDelay(input: RetryInput): number {
  const { failure, maxDelayMs } = input;
  if (failure.kind === 'status' && failure.retryAfter !== undefined) {
    const waitMs = parseRetryAfter(failure.retryAfter, input.nowMs);
    if (waitMs !== undefined) return Math.min(waitMs, maxDelayMs);
  }
  // Equal jitter: half the exponential step is fixed, half random, so a retry never fires instantly.
  const step = Math.min(maxDelayMs, BACKOFF_BASE_MS * 2 ** (input.attempt - 1));
  return Math.round(step / 2 + (step / 2) * Math.min(1, Math.max(0, input.random)));
}

/** Retry-After is either delta-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string, nowMs: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const dateMs = Date.parse(trimmed);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

function describeFailure(failure: RequestFailure): string {
  switch (failure.kind) {
    case 'status':
      return failure.message ? `HTTP ${failure.status}: ${failure.message}` : `HTTP ${failure.status}`;
    case 'network':
      return `connection failed ${failure.phase === 'before-send' ? 'before' : 'after'} the request was sent${failure.code ? ` (${failure.code})` : ''}`;
    case 'timeout':
      return `timed out waiting for the ${failure.phase === 'connect' ? 'connection' : `response ${failure.phase}`}`;
  }
}
