// Encodings: how raw bytes become text. WHATWG maps the "latin1" label to windows-1252, as browsers do.
import type { SourceEncoding } from '../config/types.js';

export const UTF8_BOM = '\uFEFF';

/** A streaming decoder from the source encoding to JS text (chunks may split multi-byte characters). */
export function createStreamDecoder(encoding: SourceEncoding): (chunk: Uint8Array | undefined) => string {
  const decoder = new TextDecoder(whatwgLabel(encoding), { ignoreBOM: true });
  return (chunk) => (chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true }));
}

/** A one-shot decoder for short byte runs (header names, key values). */
export function createTextDecoder(encoding: SourceEncoding): (bytes: Uint8Array) => string {
  const decoder = new TextDecoder(whatwgLabel(encoding), { ignoreBOM: true });
  return (bytes) => decoder.decode(bytes);
}

function whatwgLabel(encoding: SourceEncoding): string {
  return encoding === 'latin1' ? 'windows-1252' : encoding;
}

/** Strips one leading BOM from the first text chunk of a file. */
export function stripBom(text: string): string {
  return text.startsWith(UTF8_BOM) ? text.slice(1) : text;
}
