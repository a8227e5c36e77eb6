// A file's bytes in 1 MiB chunks through two reused buffers, the next read running while a chunk is used.
import { open } from 'node:fs/promises';

/** 1 MiB reads: large enough to amortize syscalls, small enough for flat memory. */
export const CHUNK_BYTES = 1 << 20;

export type ReadBuffers = [Buffer, Buffer];

/** A pair for one reader at a time; readers running at once each need their own. */
export function createReadBuffers(): ReadBuffers {
  return [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
}

/**
 * No 1 MiB of garbage per chunk (its collection and page faults cost ~10% of an upload or a scan).
 * A chunk is valid until the next one is pulled.
 */
export async function* readChunks(path: string, buffers: ReadBuffers): AsyncIterable<Buffer> {
  const handle = await open(path, 'r');
  let [reading, spare] = buffers;
  let pending: Promise<{ bytesRead: number }> | undefined = handle.read(reading, 0, CHUNK_BYTES, null);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) return;
      const chunk = reading.subarray(0, bytesRead);
      [reading, spare] = [spare, reading];
      pending = handle.read(reading, 0, CHUNK_BYTES, null);
      yield chunk;
    }
  } finally {
    await pending?.catch(() => undefined); // stopped early: the buffer must not be written after we return
    await handle.close();
  }
}
