// Runs file scans inline (small trees) or on a pool of worker threads (large ones: hashing and counting use both cores).
import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import { type ScanOptions, scanFile } from './scan-file.js';
import type { ScanRequest } from './scan-worker.js';
import type { FileScan } from './types.js';

export interface FileScanner {
  scan(absPath: string, options: ScanOptions): Promise<FileScan>;
  close(): Promise<void>;
}

/** Below this many bytes to read, starting workers (~40 ms each) costs more than it saves. */
export const POOL_THRESHOLD_BYTES = 32 * 1024 * 1024;

interface Pending {
  resolve: (scan: FileScan) => void;
  reject: (error: Error) => void;
}

interface ScanReply {
  id: number;
  scan?: FileScan;
  error?: { message: string; code?: string };
}

export function createFileScanner(workers: number): FileScanner {
  return workers <= 0 ? createInlineScanner() : createWorkerScanner(workers);
}

function createInlineScanner(): FileScanner {
  const limit = pLimit(2); // two reads in flight overlap I/O with the other file's CPU work
  return { scan: (absPath, options) => limit(() => scanFile(absPath, options)), close: async () => {} };
}

function createWorkerScanner(size: number): FileScanner {
  const url = new URL('./scan-worker.js', import.meta.url);
  const workers = Array.from({ length: size }, () => new Worker(url));
  const idle = [...workers];
  const queue: (() => void)[] = [];
  const pending = new Map<number, Pending>();
  let nextId = 0;
  for (const worker of workers) {
    worker.on('message', (reply: ScanReply) => settle(pending, reply));
    worker.on('error', (error) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
  }
  const release = (worker: Worker): void => {
    idle.push(worker);
    queue.shift()?.();
  };
  const acquire = (): Promise<Worker> =>
    new Promise((resolve) => {
      const take = (): void => resolve(idle.pop() as Worker);
      if (idle.length > 0) take();
      else queue.push(take);
    });
  return {
    async scan(absPath, options) {
      const worker = await acquire();
      const id = nextId++;
      try {
        return await new Promise<FileScan>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          worker.postMessage({ id, absPath, options } satisfies ScanRequest);
        });
      } finally {
        release(worker);
      }
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

function settle(pending: Map<number, Pending>, reply: ScanReply): void {
  const p = pending.get(reply.id);
  if (!p) return;
  pending.delete(reply.id);
  if (reply.scan) p.resolve(reply.scan);
  else p.reject(Object.assign(new Error(reply.error?.message ?? 'scan failed'), { code: reply.error?.code }));
}
