// Runs file scans inline (small trees) or on a pool of worker threads (large ones: hashing and counting use both cores).
import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import { type HalfScan, type ScanHalf, type ScanOptions, scanFile } from './scan-file.js';
import type { ScanRequest } from './scan-worker.js';
import type { FileScan } from './types.js';

export interface FileScanner {
  scan(absPath: string, options: ScanOptions): Promise<FileScan>;
  /** Half of a big file on a worker (scan-split.ts); undefined when the worker died. */
  scanHalf(absPath: string, options: ScanOptions, half: ScanHalf): Promise<HalfScan | undefined>;
  /** Workers that scan at once (0: inline). */
  readonly workers: number;
  close(): Promise<void>;
}

/** Below this many bytes to read, starting workers (~40 ms each) costs more than it saves. */
export const POOL_THRESHOLD_BYTES = 32 * 1024 * 1024;

interface ScanReply {
  id: number;
  scan?: FileScan;
  line?: number;
  clean?: boolean;
  header?: number;
  error?: { message: string; code?: string };
}

interface PoolWorker {
  worker: Worker;
  /** Settles the jobs in flight by id: a reply, or undefined when the worker died (the job then runs inline). */
  inFlight: Map<number, (reply: ScanReply | undefined) => void>;
  dead: boolean;
}

/** Jobs queued on each worker: the next one is waiting there when a scan ends (no idle round trip per file). */
const JOBS_PER_WORKER = 2;

export function createFileScanner(workers: number): FileScanner {
  return workers <= 0 ? createInlineScanner() : createWorkerScanner(workers);
}

function createInlineScanner(): FileScanner {
  const limit = pLimit(2); // two reads in flight overlap I/O with the other file's CPU work
  return {
    scan: (absPath, options) => limit(() => scanFile(absPath, options)),
    scanHalf: async () => undefined,
    workers: 0,
    close: async () => {},
  };
}

function createWorkerScanner(size: number): FileScanner {
  const url = new URL('./scan-worker.js', import.meta.url);
  const pool: PoolWorker[] = Array.from({ length: size }, () => startWorker(url));
  const idle = Array.from({ length: JOBS_PER_WORKER }, () => pool).flat();
  const waiting: ((w: PoolWorker) => void)[] = [];
  let nextId = 0;
  const acquire = (): Promise<PoolWorker> =>
    new Promise((resolve) => {
      const free = idle.pop();
      if (free) resolve(free);
      else waiting.push(resolve);
    });
  const release = (w: PoolWorker): void => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  const run = async (absPath: string, options: ScanOptions, half?: ScanHalf) => {
    const w = await acquire();
    try {
      const reply = await runOn(w, { id: nextId++, absPath, options, ...(half ? { half } : {}) });
      if (reply && !reply.scan)
        throw Object.assign(new Error(reply.error?.message ?? 'scan failed'), { code: reply.error?.code });
      return reply;
    } finally {
      release(w);
    }
  };
  return {
    workers: size,
    async scan(absPath, options) {
      // the worker died: do this one here
      return (await run(absPath, options))?.scan ?? (await scanFile(absPath, options));
    },
    async scanHalf(absPath, options, half) {
      const reply = await run(absPath, options, half);
      return reply?.scan
        ? { scan: reply.scan, line: reply.line ?? 0, clean: reply.clean === true, header: reply.header ?? 0 }
        : undefined;
    },
    close: async () => {
      await Promise.all(pool.map((w) => w.worker.terminate()));
    },
  };
}

function startWorker(url: URL): PoolWorker {
  const w: PoolWorker = { worker: new Worker(url), inFlight: new Map(), dead: false };
  const die = (): void => {
    w.dead = true;
    for (const settle of [...w.inFlight.values()]) settle(undefined);
  };
  w.worker.on('message', (reply: ScanReply) => w.inFlight.get(reply.id)?.(reply));
  w.worker.on('error', die);
  w.worker.on('exit', die);
  return w;
}

function runOn(w: PoolWorker, request: ScanRequest): Promise<ScanReply | undefined> {
  return new Promise((resolve) => {
    if (w.dead) {
      resolve(undefined);
      return;
    }
    w.inFlight.set(request.id, (reply) => {
      w.inFlight.delete(request.id);
      resolve(reply);
    });
    w.worker.postMessage(request);
  });
}
