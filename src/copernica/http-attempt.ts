// One HTTP try with undici: returns the response (any status) or a classified failure for the retry policy.
import type { Dispatcher } from 'undici';
import type { RequestFailure } from './retry-policy.js';

export interface HttpAttempt {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** A string, or a streamed body with its length: every body goes with a Content-Length, never chunked. */
  body?: string | StreamedBody;
  onBodyBytes?: (bytesSent: number) => void;
}

/** What every try shares: the connection pool, the deadline of each phase and the run's abort signal. */
export interface AttemptContext {
  /** The pool, made at the first request: undici takes ~50 ms to load, which a plan never needs. */
  dispatcher: () => Promise<Dispatcher>;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

export interface StreamedBody {
  /** Exactly how many bytes `chunks` yields (the Content-Length). */
  length: number;
  /** Called once per try, so the body is re-created on every retry. */
  chunks: () => AsyncIterable<Uint8Array>;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export type AttemptResult =
  | { kind: 'response'; response: HttpResponse }
  | { kind: 'failure'; failure: RequestFailure; cause: unknown }
  | { kind: 'aborted'; cause: unknown }
  /** Reading the body's source failed: not the server's doing, and never worth a retry. */
  | { kind: 'source-failed'; cause: unknown };

/** Codes that prove nothing reached the server. */
const BEFORE_SEND_CODES = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL)$/;

export async function sendAttempt(context: AttemptContext, attempt: HttpAttempt): Promise<AttemptResult> {
  const controller = new AbortController();
  const tracker = createTracker(attempt, context.timeoutMs, controller);
  const signal = context.signal ? AbortSignal.any([controller.signal, context.signal]) : controller.signal;
  try {
    const [{ request }, dispatcher] = await Promise.all([import('./undici.js'), context.dispatcher()]);
    const res = await request(attempt.url, {
      method: attempt.method,
      headers: withContentLength(attempt),
      // undici 7's types omit async-iterable bodies although it streams them (stack.md).
      body: tracker.body as unknown as string | undefined,
      dispatcher,
      signal,
    });
    tracker.armTimer('body');
    const text = await res.body.text();
    tracker.clearTimer();
    return { kind: 'response', response: { status: res.statusCode, headers: res.headers, text } };
  } catch (error) {
    tracker.clearTimer();
    if (context.signal?.aborted) return { kind: 'aborted', cause: error };
    const sourceError = tracker.sourceError();
    if (sourceError !== undefined) return { kind: 'source-failed', cause: sourceError };
    return { kind: 'failure', failure: classifyError(error, tracker), cause: error };
  } finally {
    await tracker.closeBody();
  }
}

/**
 * Copernica's own client always sends a Content-Length and nothing documents that its front end takes a
 * chunked body; undici sends `content-length` (never `transfer-encoding: chunked`) when the header is set.
 */
function withContentLength(attempt: HttpAttempt): Record<string, string> {
  const { body } = attempt;
  if (body === undefined) return attempt.headers;
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  return { ...attempt.headers, 'content-length': String(length) };
}

type Tracker = ReturnType<typeof createTracker>;

/** Counts body bytes and runs a precise headers/body deadline (undici's own ticks at ~1 s). */
function createTracker(attempt: HttpAttempt, timeoutMs: number, controller: AbortController) {
  let bytes = typeof attempt.body === 'string' ? Buffer.byteLength(attempt.body) : 0;
  let timer: NodeJS.Timeout | undefined;
  let timedOut: 'headers' | 'body' | undefined;
  let sourceError: unknown;
  let closed = false;
  const clearTimer = (): void => clearTimeout(timer);
  const armTimer = (phase: 'headers' | 'body'): void => {
    clearTimer();
    timer = setTimeout(() => {
      timedOut = phase;
      controller.abort();
    }, timeoutMs);
  };
  const source = typeof attempt.body === 'object' ? attempt.body.chunks()[Symbol.asyncIterator]() : undefined;

  async function* countBytes(iterator: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (error) {
        sourceError = error;
        throw error;
      }
      if (next.done) break;
      bytes += next.value.byteLength;
      attempt.onBodyBytes?.(bytes);
      yield next.value;
    }
    if (!closed) armTimer('headers'); // not after the try is over: the timer would outlive it
  }

  if (!source) armTimer('headers');
  return {
    body: source ? countBytes(source) : (attempt.body as string | undefined),
    bytesSent: () => bytes,
    timedOut: () => timedOut,
    sourceError: () => sourceError,
    armTimer,
    clearTimer,
    /**
     * Ends the streamed body's source: a server that answers before reading it all (a 503, a 429) leaves
     * undici holding the body unfinished, and the source's open file with it.
     */
    closeBody: async (): Promise<void> => {
      closed = true;
      await source?.return?.().catch(() => undefined); // its own error was reported already, if any
    },
  };
}

function classifyError(error: unknown, tracker: Tracker): RequestFailure {
  const phase = tracker.timedOut();
  if (phase) return { kind: 'timeout', phase };
  const code = errorCode(error);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { kind: 'timeout', phase: 'connect' };
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return { kind: 'timeout', phase: 'headers' };
  if (code === 'UND_ERR_BODY_TIMEOUT') return { kind: 'timeout', phase: 'body' };
  // With a body, no byte handed over means the server cannot have acted on it.
  const beforeSend =
    BEFORE_SEND_CODES.test(code ?? '') || (tracker.body !== undefined && tracker.bytesSent() === 0);
  return { kind: 'network', phase: beforeSend ? 'before-send' : 'after-send', ...(code ? { code } : {}) };
}

function errorCode(error: unknown): string | undefined {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = current.cause;
  }
  // undici wraps a reset in UND_ERR_SOCKET; the system code underneath says more.
  return codes.find((code) => code !== 'UND_ERR_SOCKET') ?? codes[0];
}
