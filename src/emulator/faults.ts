// Fault injection: the next N faults of a kind (optionally for one route), a random fail rate, a rate limit.
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
  /** For slow-headers: how long before the response starts. */
  delayMs?: number;
}

export interface PlannedFault {
  kind: FaultKind;
  retryAfterSeconds: number;
  delayMs: number;
}

export interface FaultControl {
  /** The next `count` matching requests get this fault, in the order they were queued. */
  next(count: number, kind: FaultKind, options?: FaultOptions): void;
  /** Drops every queued fault. */
  clear(): void;
  /** How many queued faults are left. */
  pending(): number;
}

export interface FaultSettings {
  failRate: number;
  failKinds: FaultKind[];
  random: () => number;
  rateLimitPerSecond: number;
  retryAfterSeconds: number;
  slowHeadersMs: number;
  now: () => number;
}

interface QueuedFault extends FaultOptions {
  kind: FaultKind;
  left: number;
}

export class Faults implements FaultControl {
  private queue: QueuedFault[] = [];
  private recent: number[] = [];

  constructor(private readonly settings: FaultSettings) {}

  next(count: number, kind: FaultKind, options: FaultOptions = {}): void {
    if (count > 0) this.queue.push({ ...options, kind, left: count });
  }

  clear(): void {
    this.queue = [];
  }

  pending(): number {
    return this.queue.reduce((sum, q) => sum + q.left, 0);
  }

  /** Decides the fault (if any) for one incoming request. */
  pick(method: string, path: string): PlannedFault | undefined {
    const queued = this.queue.find((q) => matches(q, method, path));
    if (queued) {
      queued.left--;
      if (queued.left === 0) this.queue = this.queue.filter((q) => q !== queued);
      return this.plan(queued.kind, queued);
    }
    if (this.isOverRateLimit()) return this.plan('429', { retryAfterSeconds: 1 });
    const { failRate, failKinds, random } = this.settings;
    if (failRate > 0 && failKinds.length > 0 && random() < failRate) {
      const kind = failKinds[Math.min(failKinds.length - 1, Math.floor(random() * failKinds.length))];
      if (kind) return this.plan(kind, {});
    }
    return undefined;
  }

  private plan(kind: FaultKind, options: FaultOptions): PlannedFault {
    return {
      kind,
      retryAfterSeconds: options.retryAfterSeconds ?? this.settings.retryAfterSeconds,
      delayMs: options.delayMs ?? this.settings.slowHeadersMs,
    };
  }

  /** A sliding one-second window over the requests that were let through. */
  private isOverRateLimit(): boolean {
    const limit = this.settings.rateLimitPerSecond;
    if (limit <= 0) return false;
    const now = this.settings.now();
    this.recent = this.recent.filter((t) => now - t < 1000);
    if (this.recent.length >= limit) return true;
    this.recent.push(now);
    return false;
  }
}

function matches(fault: QueuedFault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  if (fault.path === undefined) return true;
  return typeof fault.path === 'string' ? path.includes(fault.path) : fault.path.test(path);
}

/** The load balancer's page for 502/503/504, as seen in front of Copernica. */
export function renderLoadbalancerPage(status: number): string {
  return `<!DOCTYPE html>\n<html><head><title>${status} Loadbalancer Error</title></head>\n<body><h1>Loadbalancer Error</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>\n`;
}
