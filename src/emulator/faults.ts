// Fault injection: the next N faults of a kind (optionally for one route), a random fail rate, a rate limit.
import { type ApiResponse, errorResponse, textResponse } from './http-messages.js';

export type FaultKind =
  | 'html-503'
  | 'html-502'
  | 'html-504'
  | '429'
  | 'drop-before-response'
  | 'drop-after-body'
  | 'slow-headers'
  /** Accepted (201), then the import fails while it runs: Copernica's `lasterror`. */
  | 'import-error';

export interface FaultOptions {
  /** Only requests with this method (e.g. "POST"). */
  method?: string;
  /** Only requests whose path (e.g. "/v3/imports") includes this text or matches this pattern. */
  path?: string | RegExp;
  /** For 429: the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** For slow-headers: how long before the response starts (default 2000). */
  delayMs?: number;
}

/** The emulator's options for faults that come without being queued. */
export interface FaultSettings {
  failRate?: number;
  /** The faults `failRate` picks from (default: html-503, html-502, 429, drop-before-response). */
  failKinds?: FaultKind[];
  rateLimitPerSecond?: number;
  retryAfterSeconds?: number;
  random?: () => number;
}

export interface PlannedFault {
  kind: FaultKind;
  retryAfterSeconds: number;
  delayMs: number;
}

export class Faults {
  private queue: Array<FaultOptions & { kind: FaultKind }> = [];
  private recent: number[] = [];

  constructor(
    private readonly settings: FaultSettings,
    private readonly now: () => Date,
  ) {}

  /** The next `count` matching requests get this fault, in the order they were queued. */
  next(count: number, kind: FaultKind, options: FaultOptions = {}): void {
    for (let i = 0; i < count; i++) this.queue.push({ ...options, kind });
  }

  /** Drops every queued fault. */
  clear(): void {
    this.queue = [];
  }

  /** How many queued faults are left. */
  pending(): number {
    return this.queue.length;
  }

  /** Decides the fault (if any) for one incoming request. */
  pick(method: string, path: string): PlannedFault | undefined {
    const queued = this.queue.find((q) => matches(q, method, path));
    if (queued) {
      this.queue.splice(this.queue.indexOf(queued), 1);
      return this.plan(queued.kind, queued);
    }
    if (this.isOverRateLimit()) return this.plan('429', { retryAfterSeconds: 1 });
    const { failRate = 0, random = Math.random } = this.settings;
    const failKinds = this.settings.failKinds ?? ['html-503', 'html-502', '429', 'drop-before-response'];
    if (failRate > 0 && failKinds.length > 0 && random() < failRate) {
      const kind = failKinds[Math.min(failKinds.length - 1, Math.floor(random() * failKinds.length))];
      if (kind) return this.plan(kind, {});
    }
    return undefined;
  }

  private plan(kind: FaultKind, options: FaultOptions): PlannedFault {
    const retryAfterSeconds = options.retryAfterSeconds ?? this.settings.retryAfterSeconds ?? 1;
    return { kind, retryAfterSeconds, delayMs: options.delayMs ?? 2000 };
  }

  /** A sliding one-second window over the requests that were let through. */
  private isOverRateLimit(): boolean {
    const limit = this.settings.rateLimitPerSecond ?? 0;
    if (limit <= 0) return false;
    const now = this.now().getTime();
    this.recent = this.recent.filter((t) => now - t < 1000);
    if (this.recent.length >= limit) return true;
    this.recent.push(now);
    return false;
  }
}

function matches(fault: FaultOptions, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  if (fault.path === undefined) return true;
  return typeof fault.path === 'string' ? path.includes(fault.path) : fault.path.test(path);
}

/** 502, 503 and 429 are refused before anything runs; a 504 runs the request and loses the answer. */
export function isRefusal(kind: FaultKind): boolean {
  return kind === 'html-503' || kind === 'html-502' || kind === '429';
}

/** A 429 in Copernica's JSON, or the load balancer's page for 502/503/504, as seen in front of Copernica. */
export function renderFault(fault: PlannedFault): ApiResponse {
  if (fault.kind === '429') {
    const response = errorResponse('Too many requests', 429);
    return { ...response, headers: { ...response.headers, 'retry-after': String(fault.retryAfterSeconds) } };
  }
  const status = fault.kind === 'html-502' ? 502 : fault.kind === 'html-504' ? 504 : 503;
  const page = `<!DOCTYPE html>\n<html><head><title>${status} Loadbalancer Error</title></head>\n<body><h1>Loadbalancer Error</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>\n`;
  return textResponse(page, 'text/html', status);
}
