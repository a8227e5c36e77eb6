// JSON-escapes a text that arrives in pieces (strings, or UTF-8 bytes) into UTF-8 bytes, never holding it whole.
import { isUtf8 } from 'node:buffer';

/**
 * Slices of at most this many chars/bytes: even escaped six-fold, the strings stay in V8's young generation
 * (cheap to collect, flat RSS) and the socket gets a steady stream of mid-sized writes.
 */
export const ESCAPE_SLICE = 16 * 1024;

const NO_BYTES = new Uint8Array(0);

/** One slice, escaped: JSON.stringify's output (quotes included), to be written in `encoding`. */
export interface EscapedSlice {
  json: string;
  /** latin1: the chars are UTF-8 bytes (a byte piece); utf8: the chars are text. */
  encoding: 'latin1' | 'utf8';
}

/**
 * Yields bytes equal to the inside of JSON.stringify(<all pieces joined>), where a byte piece counts as its
 * UTF-8 decoding. Each chunk is new memory; a piece is never read after the next one is pulled.
 */
export async function* escapeChunks(pieces: AsyncIterable<string | Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const slice of escapeSlices(pieces))
    yield Buffer.from(slice.json, slice.encoding).subarray(1, -1);
}

/**
 * The escaping, as strings. A high surrogate or an incomplete UTF-8 sequence at the end of a piece is held
 * back for the next one, so a character split anywhere comes out exactly as if the text had been escaped whole.
 */
export async function* escapeSlices(pieces: AsyncIterable<string | Uint8Array>): AsyncIterable<EscapedSlice> {
  let heldText = '';
  let heldBytes: Uint8Array = NO_BYTES;
  for await (const piece of pieces) {
    if (typeof piece === 'string') {
      if (heldBytes.length > 0) yield* escapeText(Buffer.from(heldBytes).toString('utf8')); // invalid: U+FFFD
      heldBytes = NO_BYTES;
      heldText = yield* escapeText(heldText + piece, true);
    } else {
      if (heldText !== '') yield* escapeText(heldText); // a lone high surrogate
      heldText = '';
      heldBytes = yield* escapeBytes(heldBytes.length === 0 ? piece : Buffer.concat([heldBytes, piece]));
    }
  }
  if (heldText !== '') yield* escapeText(heldText);
  if (heldBytes.length > 0) yield* escapeText(Buffer.from(heldBytes).toString('utf8'));
}

/** Escapes the text slice by slice; with holdTail, all but a trailing high surrogate, which it returns. */
function* escapeText(text: string, holdTail = false): Generator<EscapedSlice, string> {
  const end = holdTail && isHighSurrogate(text.charCodeAt(text.length - 1)) ? text.length - 1 : text.length;
  for (let start = 0; start < end; ) {
    let stop = Math.min(start + ESCAPE_SLICE, end);
    if (stop < end && isHighSurrogate(text.charCodeAt(stop - 1))) stop -= 1; // never split a pair
    yield { json: JSON.stringify(text.slice(start, stop)), encoding: 'utf8' };
    start = stop;
  }
  return text.slice(end);
}

/**
 * Escapes all but a trailing incomplete UTF-8 sequence, which it returns (copied: the piece may be reused).
 * Valid UTF-8 escapes byte for byte: only ASCII " \ and controls change, and every byte of a multi-byte
 * character is >= 0x80, so each byte is read as a latin1 char and JSON.stringify does the work.
 */
function* escapeBytes(bytes: Uint8Array): Generator<EscapedSlice, Uint8Array> {
  const complete = bytes.length - incompleteTailLength(bytes);
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, complete);
  if (isUtf8(body)) {
    for (let start = 0; start < complete; start += ESCAPE_SLICE) {
      const latin1 = body.toString('latin1', start, Math.min(start + ESCAPE_SLICE, complete));
      yield { json: JSON.stringify(latin1), encoding: 'latin1' };
    }
  } else {
    yield* escapeText(body.toString('utf8')); // invalid UTF-8 becomes U+FFFD, as a decoder would make it
  }
  return new Uint8Array(bytes.subarray(complete));
}

/** How many bytes at the end start a UTF-8 sequence that the next piece completes. */
function incompleteTailLength(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
