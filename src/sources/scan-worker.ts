// Worker-thread entry: scans files on request so two cores hash and count at once.
import { parentPort } from 'node:worker_threads';
import { type ScanOptions, scanFileSync } from './scan-file.js';
import { transferList } from './scan-rows.js';

export interface ScanRequest {
  id: number;
  absPath: string;
  options: ScanOptions;
}

// Blocking reads are right here: this thread does nothing else while it scans.
parentPort?.on('message', (request: ScanRequest) => {
  try {
    const scan = scanFileSync(request.absPath, request.options);
    parentPort?.postMessage({ id: request.id, scan }, transferList(scan.rowHashes)); // rows move, not copied
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    parentPort?.postMessage({ id: request.id, error: { message, code } });
  }
});
