// One data record as the CSV scanner split it, handed to CsvScannerOptions.onRecord (a row reader's way in),
// with what the row-level diff needs of it: its key's and its own hash, and the row as a delta sends it.
import { hashKeyBytes, hashKeyValues, KEY_TEXT } from './key-identity.js';

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
  private bytes: Uint8Array = new Uint8Array(0);
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

  emit(bytes: Uint8Array, line: number, start: number, end: number, fieldCount: number, keyFlags = -1): void {
    this.keyFlags = keyFlags;
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

  /** 64 bits over every value's bytes, a separator between them (into lastRowHash): any changed value changes it. */
  hashRow(): void {
    hashRanges(this.bytes, this.ranges, this.fieldCount);
  }

  /** The JSON-escaped length of text(delimiter): `extra` is sent-bytes.ts's escape table for the file's bytes. */
  sentLength(delimiter: number, extra: Uint8Array): number {
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

/** hashRow over values given as text (UTF-8): what another source of the same row (Copernica's profile) hashes to. */
export function hashRowValues(values: readonly string[]): void {
  const parts = values.map((v) => Buffer.from(v, 'utf8'));
  const ranges = new Int32Array(parts.length * 2);
  let at = 0;
  parts.forEach((part, i) => {
    ranges[i * 2] = at;
    at += part.length;
    ranges[i * 2 + 1] = at;
  });
  hashRanges(Buffer.concat(parts), ranges, parts.length);
}

function hashRanges(bytes: Uint8Array, ranges: Int32Array, count: number): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let f = 0; f < count; f += 1) {
    const end = ranges[f * 2 + 1] as number;
    for (let i = ranges[f * 2] as number; i < end; i += 1) {
      const b = bytes[i] as number;
      h1 = Math.imul(h1 ^ b, 0x01000193);
      h2 = Math.imul(h2 ^ b, 0x5bd1e995) ^ (h2 >>> 15);
    }
    h1 = Math.imul(h1 ^ 0x100, 0x01000193);
    h2 = Math.imul(h2 ^ 0x100, 0x5bd1e995) ^ (h2 >>> 15);
  }
  lastRowHash[0] = h1 >>> 0;
  lastRowHash[1] = h2 >>> 0;
}

/** One CSV line as a delta writes it: this delimiter, a value quoted (quotes doubled) only when it must be, "\n". */
export function csvLine(values: readonly string[], delimiter: string): string {
  const quoted = values.map((v) =>
    /["\r\n]/.test(v) || v.includes(delimiter) ? `"${v.replaceAll('"', '""')}"` : v,
  );
  return `${quoted.join(delimiter)}\n`;
}
