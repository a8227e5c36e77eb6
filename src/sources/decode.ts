// Encodings: how raw bytes become text. WHATWG maps the "latin1" label to windows-1252, as browsers do.
import type { SourceEncoding } from '../config/types.js';

export const UTF8_BOM = '\uFEFF';

/**
 * WHATWG's index-windows-1252 for bytes 0x80..0x9F (every other byte is its own code point). Written out
 * because Node's TextDecoder decodes windows-1252 as ISO-8859-1 since 20.18.3 (nodejs/node#60888): € became
 * U+0080 and ’ U+0092.
 */
const WINDOWS_1252_C1 =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';
const C1_RANGE = /[\x80-\x9F]/g;

/** windows-1252 bytes as text: V8's native latin1 decoding, then the 32 bytes where windows-1252 differs. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return text.replace(C1_RANGE, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80] ?? c);
}

/** Text as windows-1252 bytes, or undefined when a character has no byte there (it cannot be from such a file). */
export function encodeWindows1252(text: string): Buffer | undefined {
  let bytes = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    const c1 = code > 0xff ? WINDOWS_1252_C1.indexOf(c) : -1;
    if (code > 0xff && c1 < 0) return undefined;
    bytes += c1 >= 0 ? String.fromCharCode(0x80 + c1) : c;
  }
  return Buffer.from(bytes, 'latin1');
}

/** A streaming decoder from the source encoding to JS text (chunks may split multi-byte characters). */
export function createStreamDecoder(encoding: SourceEncoding): (chunk: Uint8Array | undefined) => string {
  if (isWindows1252(encoding)) return (chunk) => (chunk === undefined ? '' : decodeWindows1252(chunk));
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  return (chunk) => (chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true }));
}

/** A one-shot decoder for short byte runs (header names, key values). */
export function createTextDecoder(encoding: SourceEncoding): (bytes: Uint8Array) => string {
  if (isWindows1252(encoding)) return decodeWindows1252;
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  return (bytes) => decoder.decode(bytes);
}

/** One byte per character, the same table for both labels. */
export function isWindows1252(encoding: SourceEncoding): boolean {
  return encoding === 'windows-1252' || encoding === 'latin1';
}

/** Strips one leading BOM from the first text chunk of a file. */
export function stripBom(text: string): string {
  return text.startsWith(UTF8_BOM) ? text.slice(1) : text;
}
