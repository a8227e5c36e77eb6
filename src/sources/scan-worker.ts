// Worker-thread entry: scans files on request so two cores hash and count at once.
import { parentPort } from 'node:worker_threads';
import { type ScanOptions, scanFile } from './scan-file.js';

export interface ScanRequest {
  id: number;
  absPath: string;
  options: ScanOptions;
}

parentPort?.on('message', (request: ScanRequest) => {
  scanFile(request.absPath, request.options).then(
    (scan) => parentPort?.postMessage({ id: request.id, scan }),
    (error: NodeJS.ErrnoException) =>
      parentPort?.postMessage({ id: request.id, error: { message: error.message, code: error.code } }),
  );
});
