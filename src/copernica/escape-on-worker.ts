// escapeChunks on a worker thread, for large uploads: escaping (~1 s a 500 MB) runs beside the socket writes.
import { on } from 'node:events';
import { Worker } from 'node:worker_threads';
import { CopernicaSyncError } from '../core/errors.js';
import type { EscapeInput, EscapeOutput } from './escape-worker.js';
import { escapeChunks } from './json-escape-stream.js';

/** Pieces handed to the worker ahead of the bytes yielded: it escapes one while the socket takes the other. */
const PIECES_AHEAD = 2;
/**
 * The worker's young generation: at Node's default a 500 MB upload peaked at ~155 MB RSS, at 16-24 MB at
 * ~140 MB; below 16 MB the pieces' buffers were promoted and piled up until a full collection (~175 MB).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 24 };

type Replies = AsyncIterableIterator<[EscapeOutput]>;

/**
 * Yields the same bytes as escapeChunks(pieces). The pieces are read on this thread (a read error is thrown
 * here, as escapeChunks throws it) and copied to the worker, each only when its bytes are about to be wanted.
 */
export async function* escapeChunksOnWorker(
  pieces: AsyncIterable<string | Uint8Array>,
  workerUrl = new URL('./escape-worker.js', import.meta.url),
): AsyncIterable<Uint8Array> {
  const worker = new Worker(workerUrl, { resourceLimits: WORKER_LIMITS });
  const stopped = new AbortController();
  worker.once('exit', () => stopped.abort());
  const replies = on(worker, 'message', { signal: stopped.signal }) as Replies;
  if (!(await isReady(replies))) {
    await worker.terminate();
    yield* escapeChunks(pieces); // the worker did not load (a bundle left escape-worker.js out): escape here
    return;
  }
  const source = pieces[Symbol.asyncIterator]();
  let ended = false;
  const feed = async (): Promise<void> => {
    if (ended) return;
    const next = await source.next();
    ended = next.done === true;
    if (next.done) return worker.postMessage({ end: true } satisfies EscapeInput);
    const piece = typeof next.value === 'string' ? next.value : new Uint8Array(next.value); // the reader reuses its buffer
    worker.postMessage({ piece } satisfies EscapeInput, typeof piece === 'string' ? [] : [piece.buffer]);
  };
  try {
    for (let i = 0; i < PIECES_AHEAD; i += 1) await feed();
    for (;;) {
      const reply = await nextReply(replies);
      if ('slices' in reply) yield encodeSlices(reply.slices, reply.encoding);
      else if ('taken' in reply) await feed();
      else return;
    }
  } finally {
    await worker.terminate();
    if (!ended) await source.return?.();
  }
}

/** The slices' escaped text (each without its quotes) as one chunk. */
function encodeSlices(slices: string[], encoding: BufferEncoding): Uint8Array {
  const size = (json: string) =>
    (encoding === 'latin1' ? json.length : Buffer.byteLength(json, encoding)) - 2;
  const chunk = Buffer.allocUnsafe(slices.reduce((sum, json) => sum + size(json), 0));
  let offset = 0;
  for (const json of slices) offset += chunk.write(json.slice(1, -1), offset, encoding);
  return chunk;
}

/** The worker's first word: `ready` once its module loaded; an error or an exit instead means it never will. */
async function isReady(replies: Replies): Promise<boolean> {
  try {
    const first = await replies.next();
    return !first.done && 'ready' in first.value[0];
  } catch {
    return false;
  }
}

async function nextReply(replies: Replies): Promise<EscapeOutput> {
  let cause: unknown;
  try {
    const next = await replies.next();
    if (!next.done) return next.value[0];
  } catch (error) {
    cause = error; // the worker threw, or exited
  }
  throw new CopernicaSyncError('E_INTERNAL', 'the thread escaping the upload stopped before its end', {
    cause,
  });
}
