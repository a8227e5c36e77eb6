// Worker-thread entry: scans files on request so two cores hash and count at once.
import { parentPort } from 'node:worker_threads';
import { type ScanHalf, type ScanOptions, scanHalfSync } from './scan-file.js';
import { transferList } from './scan-rows.js';

export interface ScanRequest {
  id: number;
  absPath: string;
  options: ScanOptions;
  /** Half of a big file (scan-split.ts), or the whole file. */
  half?: ScanHalf;
}

// Blocking reads are right here: this thread does nothing else while it scans.
parentPort?.on('message', (request: ScanRequest) => {
  try {
    const half = scanHalfSync(request.absPath, request.options, request.half);
    parentPort?.postMessage({ id: request.id, ...half }, transferList(half.scan.rowHashes)); // rows move, not copied
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    parentPort?.postMessage({ id: request.id, error: { message, code } });
  }
});
