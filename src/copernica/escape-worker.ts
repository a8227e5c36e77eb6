// Worker-thread entry: JSON-escapes an upload's pieces while the main thread writes the escaped bytes to the socket.
import { parentPort } from 'node:worker_threads';
import { type EscapedSlice, escapeSlices } from './json-escape-stream.js';

/** To the worker: the next piece of the text, or the end of it. */
export type EscapeInput = { piece: string | Uint8Array } | { end: true };
/**
 * From the worker: `ready` once loaded; escaped slices in order, as strings (the main thread encodes them: its
 * garbage then paces its collector, where transferred buffers piled up to ~60 MB before a collection); `taken`
 * when a piece is done (send the next one); `end` after the last.
 */
export type EscapeOutput =
  | { ready: true }
  | { slices: string[]; encoding: EscapedSlice['encoding'] }
  | { taken: true }
  | { end: true };

/** Slices go back in batches of about this many chars: thousands of messages for a 500 MB upload, not 30,000. */
const BATCH_CHARS = 128 * 1024;

const port = parentPort;
if (port) void escapeFromPort(port);

async function escapeFromPort(channel: NonNullable<typeof parentPort>): Promise<void> {
  const inbox: Array<string | Uint8Array | undefined> = [];
  let wake: (() => void) | undefined;
  channel.on('message', (message: EscapeInput) => {
    inbox.push('end' in message ? undefined : message.piece);
    wake?.();
  });
  channel.postMessage({ ready: true } satisfies EscapeOutput); // loaded: the main thread may send its pieces
  let batch: string[] = [];
  let chars = 0;
  let encoding: EscapedSlice['encoding'] = 'latin1';
  const flush = (): void => {
    if (batch.length > 0) channel.postMessage({ slices: batch, encoding } satisfies EscapeOutput);
    batch = [];
    chars = 0;
  };
  async function* pieces(): AsyncIterable<string | Uint8Array> {
    for (let first = true; ; first = false) {
      if (!first) {
        flush(); // the piece's slices before its `taken`: the main thread keeps them in order
        channel.postMessage({ taken: true } satisfies EscapeOutput);
      }
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const piece = inbox.shift();
      if (piece === undefined) return;
      yield piece;
    }
  }
  for await (const slice of escapeSlices(pieces())) {
    if (slice.encoding !== encoding) flush();
    encoding = slice.encoding;
    batch.push(slice.json);
    chars += slice.json.length;
    if (chars >= BATCH_CHARS) flush();
  }
  flush();
  channel.postMessage({ end: true } satisfies EscapeOutput);
}
