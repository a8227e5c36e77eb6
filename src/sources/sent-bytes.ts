// How many bytes a source takes inside the import body: the JSON-escaped UTF-8 of the text stream-source-text.ts
// sends, without the quotes around it. The scan counts each file's share (FileScan.sentBytes, headerBytes) as it
// reads the bytes anyway; computeSentBytes adds them up the way the files are sent together, so an upload can
// carry a Content-Length while it streams from disk.
import type { SourceFormat } from '../config/types.js';
import { decodeWindows1252 } from './decode.js';

/** What computeSentBytes needs of each file's scan. */
export interface SentShare {
  /** The escaped length of the file as a CSV source's only file (JSON/JSONL: its records, rendered). */
  sentBytes: number;
  /** CSV: the escaped length of the header record with its line end (all of sentBytes without one). */
  headerBytes: number;
  /** JSON/JSONL: records sent. */
  rows: number;
}

/**
 * The escaped length of the source text of these files as stream-source-text sends them together. CSV: the first
 * file that sends anything whole, each later one without its header. JSON/JSONL: "[" + records joined by "," + "]".
 */
export function computeSentBytes(files: readonly SentShare[], format: SourceFormat): number {
  if (format === 'json' || format === 'jsonl') {
    const records = files.reduce((total, f) => total + f.rows, 0);
    return 2 + Math.max(0, records - 1) + files.reduce((total, f) => total + f.sentBytes, 0);
  }
  let total = 0;
  let headerSent = false;
  for (const file of files) {
    if (file.sentBytes === 0) continue; // an empty file sends nothing, not even a header
    total += headerSent ? file.sentBytes - file.headerBytes : file.sentBytes;
    headerSent = true;
  }
  return total;
}

/**
 * The bytes escaping adds to each byte value: 1 for `"` `\` and \b \t \n \f \r, 5 for the other controls below
 * 0x20 (\u00XX), none for the rest (JSON.stringify leaves DEL and U+2028 alone). With `windows1252`, a byte
 * >= 0x80 also counts the UTF-8 bytes its letter takes beyond one (1 or 2), as decode.ts's table decodes it.
 */
export function createEscapeTable(windows1252: boolean): Uint8Array {
  const table = new Uint8Array(256);
  for (let b = 0; b < 0x20; b += 1) table[b] = SHORT_ESCAPES.includes(b) ? 1 : 5;
  table[0x22] = 1;
  table[0x5c] = 1;
  if (windows1252) {
    for (let b = 0x80; b < 0x100; b += 1)
      table[b] = Buffer.byteLength(decodeWindows1252(Uint8Array.of(b)), 'utf8') - 1;
  }
  return table;
}

/** \b \t \n \f \r. */
const SHORT_ESCAPES = [0x08, 0x09, 0x0a, 0x0c, 0x0d];

/**
 * The escaped UTF-8 length of well-formed text (no lone surrogates: what a decoder or JSON.stringify makes):
 * its UTF-8 bytes plus the characters escaping adds, all of them ASCII.
 */
export function escapedLength(text: string): number {
  return Buffer.byteLength(text, 'utf8') + JSON.stringify(text).length - 2 - text.length;
}
