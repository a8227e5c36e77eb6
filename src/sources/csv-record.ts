// One data record as the CSV scanner split it, handed to CsvScannerOptions.onRecord (a row reader's way in),
// with what the row-level diff needs of it: its key's and its own hash, and the row as a delta sends it.
import type { SourceEncoding } from '../config/types.js';
import { encodeWindows1252, isWindows1252 } from './decode.js';
import { avalanche, hashKeyBytes, hashKeyValues, KEY_TEXT, mix1, mix2 } from './key-identity.js';

/** The two 32-bit halves of the last row hash (no tuple allocated per row). */
export const lastRowHash = new Uint32Array(2);

export interface CsvRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  /** Byte offsets in the file (a stripped BOM not counted): the record's first byte, and just past its line end. */
  readonly start: number;
  readonly end: number;
  readonly fieldCount: number;
  /** Field `index`'s value as bytes, quotes removed and doubled quotes undoubled; valid during the call only. */
  fieldBytes(index: number): Uint8Array;
  /** Field `index`'s value as text. */
  field(index: number): string;
}

export type OnCsvRecord = (record: CsvRecord) => void;

/** One reused view per scanner: no allocation per record. */
export class CsvRecordView implements CsvRecord {
  line = 0;
  start = 0;
  end = 0;
  fieldCount = 0;
  private bytes: Uint8Array = Buffer.alloc(0);
  /** The same bytes as 32-bit little-endian words at any offset (the row hash reads four bytes at once). */
  private words: DataView = new DataView(new ArrayBuffer(0));
  private ranges = new Int32Array(32);
  private keyRanges = new Int32Array(0);

  constructor(
    private readonly onRecord: OnCsvRecord,
    private readonly decode: (bytes: Uint8Array) => string,
  ) {}

  /** Field `index` lies at [start, end) of the bytes given to emit. */
  setField(index: number, start: number, end: number): void {
    if (index * 2 + 1 >= this.ranges.length) {
      const bigger = new Int32Array(this.ranges.length * 2);
      bigger.set(this.ranges);
      this.ranges = bigger;
    }
    this.ranges[index * 2] = start;
    this.ranges[index * 2 + 1] = end;
  }

  /** The key's flags when the scanner hashed it (lastKeyHash holds the hash during onRecord), else -1. */
  keyFlags = -1;

  /** The escaped length a delta sends the record with, when the scanner measured it; else -1 (sentLength). */
  sent = -1;

  emit(
    bytes: Uint8Array,
    line: number,
    start: number,
    end: number,
    fieldCount: number,
    keyFlags = -1,
    sent = -1,
  ): void {
    this.keyFlags = keyFlags;
    this.sent = sent;
    if (bytes !== this.bytes) this.words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.bytes = bytes;
    this.line = line;
    this.start = start;
    this.end = end;
    this.fieldCount = fieldCount;
    this.onRecord(this);
  }

  fieldBytes(index: number): Uint8Array {
    if (index < 0 || index >= this.fieldCount) throw new RangeError(`no field ${index}`);
    return this.bytes.subarray(this.ranges[index * 2], this.ranges[index * 2 + 1]);
  }

  field(index: number): string {
    return this.decode(this.fieldBytes(index));
  }

  /** The key of these fields as key-identity.ts hashes it (into lastKeyHash); its flags. */
  hashKey(keyIndexes: readonly number[], windows1252: boolean): number {
    if (this.keyFlags >= 0) return this.keyFlags; // the scanner's hash of the same key fields
    if (this.keyRanges.length !== keyIndexes.length * 2)
      this.keyRanges = new Int32Array(keyIndexes.length * 2);
    keyIndexes.forEach((field, i) => {
      this.keyRanges[i * 2] = this.ranges[field * 2] as number;
      this.keyRanges[i * 2 + 1] = this.ranges[field * 2 + 1] as number;
    });
    const flags = hashKeyBytes(this.bytes, this.keyRanges, keyIndexes.length, windows1252);
    return flags === KEY_TEXT ? hashKeyValues(keyIndexes.map((i) => this.field(i))) : flags;
  }

  /** 64 bits over the values (into lastRowHash): any changed value changes it, a re-quoted one does not. */
  hashRow(delimiter: number): void {
    // measured by the scanner: an unquoted line, its values one delimiter apart where they lie
    hashRanges(this.bytes, this.words, this.ranges, this.fieldCount, delimiter, this.sent >= 0);
  }

  /** The JSON-escaped length of text(delimiter): `extra` is sent-bytes.ts's escape table for the file's bytes. */
  sentLength(delimiter: number, extra: Uint8Array): number {
    if (this.sent >= 0) return this.sent;
    let length = 2 + (this.fieldCount - 1) * (1 + (extra[delimiter] as number)); // "\n" and the delimiters
    for (let f = 0; f < this.fieldCount; f += 1) {
      const start = this.ranges[f * 2] as number;
      const end = this.ranges[f * 2 + 1] as number;
      let quotes = 0;
      let special = false;
      for (let i = start; i < end; i += 1) {
        const b = this.bytes[i] as number;
        length += 1 + (extra[b] as number);
        if (b === 0x22) quotes += 1;
        special ||= b === 0x22 || b === delimiter || b === 0x0a || b === 0x0d;
      }
      if (special) length += 4 + quotes * 2; // two escaped quotes around it, each inner quote doubled (\")
    }
    return length;
  }

  /** The row as a delta sends it (csvLine). */
  text(delimiter: string): string {
    return csvLine(
      Array.from({ length: this.fieldCount }, (_, f) => this.field(f)),
      delimiter,
    );
  }
}

/**
 * hashRow over values given as text, in the bytes a file of `encoding` holds them as (UTF-16 is scanned as UTF-8):
 * what another source of the same row (Copernica's profile) hashes to. False, hashing nothing, when a value has a
 * character that encoding cannot hold.
 */
export function hashRowValues(values: readonly string[], encoding: SourceEncoding = 'utf-8'): boolean {
  const parts: Buffer[] = [];
  for (const value of values) {
    const bytes = isWindows1252(encoding) ? encodeWindows1252(value) : Buffer.from(value, 'utf8');
    if (!bytes) return false;
    parts.push(bytes);
  }
  const line = Buffer.from(parts.map((part) => part.toString('latin1')).join(','), 'latin1');
  const ranges = new Int32Array(values.length * 2);
  let at = 0;
  parts.forEach((part, i) => {
    ranges[i * 2] = at;
    at += part.length;
    ranges[i * 2 + 1] = at;
    at += 1;
  });
  hashRanges(line, new DataView(line.buffer, line.byteOffset, line.length), ranges, values.length, COMMA);
  return true;
}

const COMMA = 0x2c;
/** An unquoted line's words with its delimiters read as commas (another delimiter than a comma). */
let fixed = new Int32Array(64);

function commaWords(words: DataView, ranges: Int32Array, count: number, delimiter: number): void {
  const start = ranges[0] as number;
  const end = ranges[count * 2 - 1] as number;
  if ((end - start) >> 2 > fixed.length)
    fixed = new Int32Array(2 ** Math.ceil(Math.log2((end - start) >> 2)));
  for (let i = start; i + 4 <= end; i += 4) fixed[(i - start) >> 2] = words.getInt32(i, true);
  for (let f = 0; f < count - 1; f += 1) {
    const at = (ranges[f * 2 + 1] as number) - start; // the delimiter after value f
    if (at >> 2 < (end - start) >> 2)
      fixed[at >> 2] = (fixed[at >> 2] as number) ^ ((delimiter ^ COMMA) << ((at & 3) * 8));
  }
}

/** Where values that are not one line already (quoted, or copied by the slow path) are joined by commas. */
let scratch = Buffer.alloc(1024);
let scratchWords = new DataView(scratch.buffer);
let scratchRanges = new Int32Array(64);

/**
 * The row hash (into lastRowHash): the values joined by commas, four bytes at a time as little-endian words (the
 * last one zero-filled; even and odd words in two lanes), then the values' lengths, so ["a,b"] and ["a", "b"]
 * differ. Each lane is a pair of key-identity.ts's mixing chains. An unquoted line is that text already, its
 * delimiters read as commas: hashed where it lies.
 */
function hashRanges(
  bytes: Uint8Array,
  words: DataView,
  ranges: Int32Array,
  count: number,
  delimiter: number,
  oneLine = false,
): void {
  for (let f = 1; !oneLine && f < count; f += 1) {
    if (ranges[f * 2] !== (ranges[f * 2 - 1] as number) + 1) {
      joinValues(bytes, ranges, count);
      hashRanges(scratch, scratchWords, scratchRanges, count, COMMA);
      return;
    }
  }
  const start = ranges[0] as number;
  const end = ranges[count * 2 - 1] as number;
  if (delimiter !== COMMA) commaWords(words, ranges, count, delimiter);
  // two lanes, the even and the odd words: the chains of one word wait for the last but one, not the last
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  let g1 = 0x2545f491;
  let g2 = 0x68e31da4;
  const comma = delimiter === COMMA;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const a = comma ? words.getInt32(i, true) : (fixed[(i - start) >> 2] as number);
    const b = comma ? words.getInt32(i + 4, true) : (fixed[(i + 4 - start) >> 2] as number);
    h1 = mix1(h1, a);
    h2 = mix2(h2, a);
    g1 = mix1(g1, b);
    g2 = mix2(g2, b);
  }
  if (i + 4 <= end) {
    const a = comma ? words.getInt32(i, true) : (fixed[(i - start) >> 2] as number);
    h1 = mix1(h1, a);
    h2 = mix2(h2, a);
    i += 4;
  }
  if (i < end) {
    let w = 0;
    for (let k = i; k < end; k += 1)
      w |= (bytes[k] === delimiter ? COMMA : (bytes[k] as number)) << ((k - i) * 8);
    h1 = mix1(h1, w);
    h2 = mix2(h2, w);
  }
  // the lengths (the odd lane): two 16-bit ones a word; when one is longer, a marker no pair makes, then one a word
  let long = false;
  for (let f = 0; f < count; f += 1)
    long ||= (ranges[f * 2 + 1] as number) - (ranges[f * 2] as number) >= 0xffff;
  const step = long ? 1 : 2;
  if (long) {
    g1 = mix1(g1, -1);
    g2 = mix2(g2, -1);
  }
  for (let f = 0; f < count; f += step) {
    let w = (ranges[f * 2 + 1] as number) - (ranges[f * 2] as number);
    if (!long && f + 1 < count) w |= ((ranges[f * 2 + 3] as number) - (ranges[f * 2 + 2] as number)) << 16;
    g1 = mix1(g1, w);
    g2 = mix2(g2, w);
  }
  // each half a bijection of either lane while the other stays: a difference in one lane is never lost here
  lastRowHash[0] = avalanche(((h1 ^ (end - start)) + Math.imul(g1, 0x9e3779b1)) | 0);
  lastRowHash[1] = avalanche(((h2 ^ count) + Math.imul(g2, 0x85ebca6b)) | 0);
}

/** The values at `ranges` joined by commas into `scratch`, their ranges there into `scratchRanges`. */
function joinValues(bytes: Uint8Array, ranges: Int32Array, count: number): void {
  let size = count;
  for (let f = 0; f < count; f += 1) size += (ranges[f * 2 + 1] as number) - (ranges[f * 2] as number);
  if (size + 4 > scratch.length) {
    scratch = Buffer.alloc(2 ** Math.ceil(Math.log2(size + 4)));
    scratchWords = new DataView(scratch.buffer);
  }
  if (count * 2 > scratchRanges.length) scratchRanges = new Int32Array(count * 2);
  let at = 0;
  for (let f = 0; f < count; f += 1) {
    if (f > 0) scratch[at++] = COMMA;
    scratchRanges[f * 2] = at;
    // byte by byte: a subarray per value cost every quoted row ~400 bytes of garbage
    for (let k = ranges[f * 2] as number; k < (ranges[f * 2 + 1] as number); k += 1)
      scratch[at++] = bytes[k] as number;
    scratchRanges[f * 2 + 1] = at;
  }
}

/** One CSV line as a delta writes it: this delimiter, a value quoted (quotes doubled) only when it must be, "\n". */
export function csvLine(values: readonly string[], delimiter: string): string {
  const quoted = values.map((v) =>
    /["\r\n]/.test(v) || v.includes(delimiter) ? `"${v.replaceAll('"', '""')}"` : v,
  );
  return `${quoted.join(delimiter)}\n`;
}
