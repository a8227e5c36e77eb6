// A hand-written CSV record scanner over bytes. csv-parse builds every field of every row as a string: 30 MB/s
// here (CPU time, sync API). This state machine only counts fields and hashes the key columns: ~300 MB/s with
// one key column, ~550 MB/s without, on the same data (bench/generate-data.ts rows).
// (Over 300 lines on purpose: the fast and slow paths are one state machine sharing its private state.)
// It works on UTF-8, windows-1252 and latin1 bytes alike: `"`, `\n`, `\r` and the delimiters are ASCII and never
// occur inside a multi-byte UTF-8 sequence (UTF-16 input is transcoded to UTF-8 before it gets here).
import type { Diagnostic, Severity } from '../core/diagnostic.js';
import { hashKeyRanges, lastHash } from './key-table.js';
import {
  type CheckTarget,
  checkKeyFields,
  findKeyIndexes,
  KeyStats,
  ProblemCollector,
  problem,
} from './scan-checks.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;

export interface CsvScannerOptions extends CheckTarget {
  delimiter: number;
  keyFields: readonly string[];
  blankSeverity: Severity;
  /** Turns collected field bytes into text (header names, duplicate examples). */
  decode: (bytes: Uint8Array) => string;
}

export interface CsvScanOutcome {
  header: string[];
  rows: number;
  truncated: boolean;
  keys: KeyStats;
  diagnostics: Diagnostic[];
}

export class CsvScanner {
  /** 1-based line of the byte about to be read. */
  line = 1;
  private offset = 0;
  private lastByte = -1;
  private lineStart = 0;
  private state = FIELD_START;
  private collecting = true;
  private fieldIndex = 0;
  private recordLine = 1;
  private recordEmpty = true;
  private quoteLine = 0;
  private quoteColumn = 0;
  private header: string[] | undefined;
  private readonly headerFields: string[] = [];
  private keySlots = new Int32Array(0);
  private keyCount = 0;
  private buf = new Uint8Array(1024);
  private bufLen = 0;
  private fieldStart = 0;
  private ranges = new Int32Array(2);
  private rows = 0;
  private truncatedFields = -1;
  private readonly keys = new KeyStats();
  private readonly columns: ProblemCollector;
  private readonly early: Diagnostic[] = [];

  constructor(private readonly options: CsvScannerOptions) {
    this.columns = new ProblemCollector(
      'error',
      'E_SOURCE_COLUMNS',
      (n) => `${n} rows have the wrong number of fields`,
    );
  }

  /** Scans one chunk; the chunk may be reused by the caller afterwards. */
  push(chunk: Buffer): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.atRecordStart()) i = this.scanPlainLines(chunk, i);
      if (i < n) i = this.scanSlow(chunk, i);
    }
    this.offset += n;
    if (n > 0) this.lastByte = chunk[n - 1] as number;
  }

  private atRecordStart(): boolean {
    return (
      this.state === FIELD_START && this.fieldIndex === 0 && this.recordEmpty && this.header !== undefined
    );
  }

  /** Fast path: plain lines are split by one JS pass per line; odd lines fall back to the slow path. */
  private scanPlainLines(chunk: Buffer, from: number): number {
    let i = from;
    for (;;) {
      const lf = this.scanLine(chunk, i);
      if (lf < 0) return i;
      i = lf + 1;
      this.line += 1;
      this.lineStart = this.offset + i;
      this.recordLine = this.line;
    }
  }

  /**
   * Splits the line at `start` into fields in one pass (a per-line native indexOf cost more than it saved);
   * returns the index of its LF, or -1 (changing nothing) when the slow path must take it.
   */
  private scanLine(chunk: Buffer, start: number): number {
    const n = chunk.length;
    if (start >= n) return -1;
    const first = chunk[start] as number;
    if (first === LF) return start; // a blank line
    if (first === CR && start + 1 < n && chunk[start + 1] === LF) return start + 1;
    const delim = this.options.delimiter;
    const keySlots = this.keySlots;
    let fields = 1;
    let j = start;
    for (;;) {
      const slot = fields <= keySlots.length ? (keySlots[fields - 1] as number) : -1;
      let k = j;
      let c = 0;
      if (j < n && chunk[j] === QUOTE) {
        k = closingQuoteInLine(chunk, j, slot >= 0);
        if (k < 0 || k + 1 >= n) return -1;
        if (slot >= 0) this.setRange(slot, j + 1, k);
        k += 1;
        c = chunk[k] as number;
        if (c === CR && k + 1 < n && chunk[k + 1] === LF) return this.endLine(fields, chunk, k + 1);
        if (c !== delim && c !== LF) return -1;
      } else {
        while (k < n) {
          c = chunk[k] as number;
          if (c === delim || c === LF) break;
          k += 1;
        }
        if (k >= n) return -1;
        if (slot >= 0) this.setRange(slot, j, c === LF && k > j && chunk[k - 1] === CR ? k - 1 : k);
      }
      if (c === LF) return this.endLine(fields, chunk, k);
      fields += 1;
      j = k + 1;
    }
  }

  private endLine(fields: number, chunk: Buffer, lf: number): number {
    this.acceptRow(fields, false, chunk);
    return lf;
  }

  private setRange(slot: number, start: number, end: number): void {
    if (slot < 0) return;
    this.ranges[slot * 2] = start;
    this.ranges[slot * 2 + 1] = end;
  }

  /** The full state machine, until the end of the current record or of the chunk; returns where it stopped. */
  private scanSlow(chunk: Buffer, from: number): number {
    const delim = this.options.delimiter;
    const n = chunk.length;
    let state = this.state;
    let collecting = this.collecting;
    let i = from;
    for (; i < n; i += 1) {
      const c = chunk[i] as number;
      if (state === UNQUOTED) {
        if (c === delim) {
          collecting = this.nextField();
          state = FIELD_START;
        } else if (c === LF) {
          this.newline(i);
          collecting = this.endRecord(false);
          state = FIELD_START;
          i += 1;
          break;
        } else if (collecting) this.append(c);
      } else if (state === FIELD_START) {
        if (c === QUOTE) {
          state = QUOTED;
          this.recordEmpty = false;
          this.quoteLine = this.line;
          this.quoteColumn = this.offset + i - this.lineStart + 1;
        } else if (c === delim) {
          this.recordEmpty = false;
          collecting = this.nextField();
        } else if (c === LF) {
          this.newline(i);
          collecting = this.endRecord(false);
          i += 1;
          break;
        } else if (c === CR) {
          if (collecting) this.append(c);
        } else {
          state = UNQUOTED;
          this.recordEmpty = false;
          if (collecting) this.append(c);
        }
      } else if (state === QUOTED) {
        if (c === QUOTE) state = QUOTE_SEEN;
        else {
          if (c === LF) this.newline(i);
          if (collecting) this.append(c);
        }
      } else if (c === QUOTE) {
        if (collecting) this.append(c);
        state = QUOTED;
      } else if (c === delim) {
        collecting = this.nextField();
        state = FIELD_START;
      } else if (c === LF) {
        this.newline(i);
        collecting = this.endRecord(false);
        state = FIELD_START;
        i += 1;
        break;
      } else {
        state = UNQUOTED;
        if (collecting) this.append(c);
      }
    }
    this.state = state;
    this.collecting = collecting;
    return i;
  }

  finish(): CsvScanOutcome {
    const endsWithNewline = this.lastByte === LF;
    if (this.state === QUOTED) {
      const message = 'unterminated quoted field: the quote opened here is never closed';
      this.early.push(
        problem('error', 'E_SOURCE_QUOTE', message, this.options, this.quoteLine, this.quoteColumn),
      );
    } else if (!(this.recordEmpty && this.fieldIndex === 0)) {
      this.endRecord(!endsWithNewline);
    }
    return {
      header: this.header ?? this.headerFields,
      rows: this.rows,
      truncated: this.truncatedFields >= 0,
      keys: this.keys,
      diagnostics: this.collectDiagnostics(),
    };
  }

  private collectDiagnostics(): Diagnostic[] {
    this.keys.release();
    const out = [...this.early, ...this.columns.toDiagnostics(this.options)];
    if (this.truncatedFields >= 0) {
      const expected = this.header?.length ?? 0;
      const message = `the last record has ${this.truncatedFields} of ${expected} fields and the file does not end with a newline: it looks cut short`;
      out.push(problem('error', 'E_SOURCE_TRUNCATED', message, this.options, this.recordLine, 1));
    }
    out.push(...this.keys.toDiagnostics(this.options, this.options.keyFields, this.options.blankSeverity));
    if (this.rows === 0) out.push(problem('warning', 'E_SOURCE_EMPTY', 'no data rows', this.options, 1, 1));
    return out;
  }

  private newline(i: number): void {
    this.line += 1;
    this.lineStart = this.offset + i + 1;
  }

  private append(c: number): void {
    if (this.bufLen === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.bufLen] = c;
    this.bufLen += 1;
  }

  /** Ends the current field and starts the next; returns whether the new field is collected. */
  private nextField(): boolean {
    this.endField(false);
    this.fieldIndex += 1;
    return this.beginField();
  }

  private beginField(): boolean {
    this.fieldStart = this.bufLen;
    if (this.header === undefined) return true;
    return this.fieldIndex < this.keySlots.length && (this.keySlots[this.fieldIndex] as number) >= 0;
  }

  private endField(lastInRecord: boolean): void {
    let end = this.bufLen;
    if (lastInRecord && end > this.fieldStart && this.buf[end - 1] === CR) end -= 1;
    if (this.header === undefined) {
      this.headerFields.push(this.options.decode(this.buf.subarray(this.fieldStart, end)));
      return;
    }
    const slot = this.fieldIndex < this.keySlots.length ? (this.keySlots[this.fieldIndex] as number) : -1;
    if (slot < 0) return;
    this.ranges[slot * 2] = this.fieldStart;
    this.ranges[slot * 2 + 1] = end;
  }

  /** Closes a record (header or data); returns whether the first field of the next record is collected. */
  private endRecord(cutShort: boolean): boolean {
    const blankLine = this.recordEmpty && this.fieldIndex === 0;
    if (!blankLine) {
      this.endField(true);
      if (this.header === undefined) this.acceptHeader();
      else this.acceptRow(this.fieldIndex + 1, cutShort, this.buf);
    }
    this.fieldIndex = 0;
    this.bufLen = 0;
    this.recordEmpty = true;
    this.recordLine = this.line;
    return this.beginField();
  }

  private acceptHeader(): void {
    const header = this.headerFields;
    this.header = header;
    this.early.push(...checkKeyFields(header, this.options.keyFields, this.options));
    const indexes =
      this.options.keyFields.length > 0 ? findKeyIndexes(header, this.options.keyFields) : undefined;
    if (indexes === undefined) return;
    this.keySlots = new Int32Array(header.length).fill(-1);
    indexes.forEach((column, slot) => {
      this.keySlots[column] = slot;
    });
    this.keyCount = indexes.length;
    this.ranges = new Int32Array(indexes.length * 2);
  }

  /** `bytes` holds the key fields at `ranges` (the chunk on the fast path, the copy buffer otherwise). */
  private acceptRow(fields: number, cutShort: boolean, bytes: Uint8Array): void {
    this.rows += 1;
    const expected = (this.header as string[]).length;
    if (fields !== expected) {
      if (cutShort && fields < expected) this.truncatedFields = fields;
      else {
        const line = this.recordLine;
        this.columns.add(line, 1, () => `line ${line} has ${fields} fields, the header has ${expected}`);
      }
      return;
    }
    if (this.keyCount === 0) return;
    if (!hashKeyRanges(bytes, this.ranges, this.keyCount)) {
      this.keys.addBlank(this.recordLine);
      return;
    }
    if (this.keys.addKey(lastHash[0] as number, lastHash[1] as number)) {
      this.keys.addExample(this.describeKey(bytes), this.recordLine);
    }
  }

  private describeKey(bytes: Uint8Array): string {
    const values: string[] = [];
    for (let slot = 0; slot < this.keyCount; slot += 1) {
      const start = this.ranges[slot * 2] as number;
      values.push(this.options.decode(bytes.subarray(start, this.ranges[slot * 2 + 1] as number)));
    }
    return values.join(' / ');
  }
}

/**
 * Index of the quote closing the field opened at `open`, or -1 when the line or chunk does not hold it (or a key
 * needs unescaping). Plain JS: quoted fields are short, a native indexOf per field cost more than it saved.
 */
function closingQuoteInLine(chunk: Buffer, open: number, isKey: boolean): number {
  const n = chunk.length;
  let i = open + 1;
  for (;;) {
    while (i < n) {
      const c = chunk[i] as number;
      if (c === QUOTE) break;
      if (c === LF) return -1;
      i += 1;
    }
    if (i + 1 >= n) return -1;
    if (chunk[i + 1] !== QUOTE) return i;
    if (isKey) return -1; // a doubled quote inside a key: the slow path unescapes it
    i += 2;
  }
}
