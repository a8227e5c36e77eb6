// Rows mode (the row-level diff, DESIGN.md section 9): every data row's key hash, its own hash, its line and its
// escaped length as a delta sends it, in flat arrays that cross from a scan worker without a copy.
import type { SourceEncoding } from '../config/types.js';
import type { CsvRecord, CsvRecordView } from './csv-record.js';
import { hashRowValues, lastRowHash } from './csv-record.js';
import { hashKeyValues, lastKeyHash } from './key-identity.js';
import type { RowHashes, SourceRow } from './row-types.js';

export type { RowHashes, SourceRow };

export class RowCollector {
  private count = 0;
  private keys = new Uint32Array(2048);
  private hashes = new Uint32Array(2048);
  private sent = new Uint32Array(1024);
  private lines = new Uint32Array(1024);
  private states = new Uint8Array(1024);

  /** Room for `rows` rows (an estimate: it still grows past them). */
  reserve(rows: number): void {
    if (rows > this.lines.length) this.resize(rows);
  }

  /** One row: its key flags (lastKeyHash holds the hash) and lastRowHash its own. */
  add(flags: number, sent: number, line: number): void {
    if (this.count === this.lines.length) this.grow();
    const i = this.count++;
    this.keys[i * 2] = lastKeyHash[0] as number;
    this.keys[i * 2 + 1] = lastKeyHash[1] as number;
    this.hashes[i * 2] = lastRowHash[0] as number;
    this.hashes[i * 2 + 1] = lastRowHash[1] as number;
    this.sent[i] = sent;
    this.lines[i] = line;
    this.states[i] = flags;
  }

  result(): RowHashes {
    const n = this.count;
    // Views, not copies: a copy of 2M rows' arrays would double the peak (a transfer moves the whole buffer).
    return {
      count: n,
      keys: this.keys.subarray(0, n * 2),
      hashes: this.hashes.subarray(0, n * 2),
      sent: this.sent.subarray(0, n),
      lines: this.lines.subarray(0, n),
      states: this.states.subarray(0, n),
    };
  }

  private grow(): void {
    this.resize(this.lines.length * 2);
  }

  private resize(rows: number): void {
    const sized = <T extends Uint32Array | Uint8Array>(a: T, per: number): T => {
      const b = new (a.constructor as new (n: number) => T)(rows * per);
      b.set(a.subarray(0, this.count * per));
      return b;
    };
    this.keys = sized(this.keys, 2);
    this.hashes = sized(this.hashes, 2);
    this.sent = sized(this.sent, 1);
    this.lines = sized(this.lines, 1);
    this.states = sized(this.states, 1);
  }
}

/** The buffers a worker hands over (transferred, not copied). */
export function transferList(rows: RowHashes | undefined): ArrayBuffer[] {
  if (!rows) return [];
  return [rows.keys, rows.hashes, rows.sent, rows.lines, rows.states].map((a) => a.buffer as ArrayBuffer);
}

/** A CSV record as a SourceRow, with its hashes computed. */
export function csvRow(
  record: CsvRecord,
  keyIndexes: readonly number[],
  delimiter: string,
  windows1252: boolean,
): SourceRow {
  const view = record as CsvRecordView;
  view.hashKey(keyIndexes, windows1252);
  view.hashRow(delimiter.charCodeAt(0));
  return {
    line: record.line,
    keyHi: lastKeyHash[0] as number,
    keyLo: lastKeyHash[1] as number,
    rowHi: lastRowHash[0] as number,
    rowLo: lastRowHash[1] as number,
    keyValues: () => keyIndexes.map((i) => record.field(i)),
    text: () => view.text(delimiter),
  };
}

/** A JSON record's values in the header's order: `text` is the record as the upload renders it. */
export function jsonRow(
  values: Record<string, unknown>,
  header: readonly string[],
  keyFields: readonly string[],
  text: string,
  line: number,
  encoding: SourceEncoding = 'utf-8',
): SourceRow & { flags: number } {
  const keyValues = keyFields.map((k) =>
    values[k] === null || values[k] === undefined ? '' : String(values[k]),
  );
  const flags = hashKeyValues(keyValues);
  const [keyHi, keyLo] = [lastKeyHash[0] as number, lastKeyHash[1] as number];
  // as a CSV row's: the values in the header's order as text (what drift compares with a profile), then any other key
  const extra = Object.keys(values).filter((k) => !header.includes(k));
  const texts = [
    ...header.map((k) => valueText(values[k])),
    ...extra.map((k) => `${JSON.stringify(k)}:${JSON.stringify(values[k])}`),
  ];
  // in the file's encoding, as drift hashes a profile (a value read from it always fits; an escape may not)
  if (!hashRowValues(texts, encoding)) hashRowValues(texts);
  return {
    flags,
    line,
    keyHi,
    keyLo,
    rowHi: lastRowHash[0] as number,
    rowLo: lastRowHash[1] as number,
    keyValues: () => keyValues,
    text: () => text,
  };
}

/** A JSON value as a profile field holds it: text as is, numbers and booleans written out, null empty. */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
