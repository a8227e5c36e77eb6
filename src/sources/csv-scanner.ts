// A hand-written CSV record scanner over bytes. csv-parse builds every field of every row as a string: 30 MB/s
// here (CPU time, sync API). This state machine only counts fields, hashes the key columns and counts the escaped
// length of what is sent: ~320 MB/s with one key column, ~540 MB/s without, on the same data
// (bench/generate-data.ts rows; ~400 and ~640 before the dialect checks, the key identity and the length count).
// (Over 300 lines on purpose: the fast and slow paths are one state machine sharing its private state.)
// The dialect (DESIGN.md section 8), shared with the emulator's csv-parse and checked against it by
// test/sources/csv-dialect.test.ts: RFC 4180 with one delimiter, `"` quotes doubled inside quoted fields, LF or
// CRLF line ends, a UTF-8 BOM; blank lines (nothing before the line end) are skipped. A quote inside an unquoted
// field, text after a closing quote and a CR not followed by LF outside quotes are errors.
// It works on UTF-8, windows-1252 and latin1 bytes alike: `"`, `\n`, `\r` and the delimiters are ASCII and never
// occur inside a multi-byte UTF-8 sequence (UTF-16 input is transcoded to UTF-8 before it gets here).
import type { Diagnostic } from '../core/diagnostic.js';
import { CsvRecordView, type OnCsvRecord } from './csv-record.js';
import { hashKeyBytes, hashKeyValues, KEY_TEXT } from './key-identity.js';
import {
  type CheckTarget,
  checkKeyFields,
  checkUndeclaredDelimiter,
  findKeyIndexes,
  findLikelyDelimiter,
  KeyStats,
  ProblemCollector,
  problem,
} from './scan-checks.js';
import { createEscapeTable } from './sent-bytes.js';

const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LF = 0x0a;
const CR = 0x0d;
const STOP = 1;
const COUNT = 2;
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;

const STRAY_QUOTE_HINT = 'quote the field and double the quote: "say ""hi"""';
const AFTER_QUOTE_HINT = 'quote the whole field and double the quotes inside it: "ab""c"';
const LINE_END_HINT = 'save the file with LF or CRLF line ends';

export interface CsvScannerOptions extends CheckTarget {
  delimiter: number;
  keyFields: readonly string[];
  /** Blank and padded keys are errors (delete, removeMissing, prune, send: changes), else warnings. */
  strictKeys: boolean;
  /** Repeated keys are errors (send: changes, prune: a row diff needs a unique key), else warnings. */
  uniqueKeys?: boolean | undefined;
  /** Repeated keys are left to the row diff, which compares every row's key anyway (rows mode, unique keys). */
  duplicatesByDiff?: boolean | undefined;
  /** Turns collected field bytes into text (header names, duplicate examples). */
  decode: (bytes: Uint8Array) => string;
  /** The import names its delimiter: a one-column header holding `;` or a tab is then no E_SOURCE_DELIMITER. */
  delimiterDeclared: boolean;
  /**
   * The bytes are windows-1252 (or latin1): EF BB BF at the start are three letters, not a BOM to strip, and
   * key bytes >= 0x80 are letters of that code page. Otherwise UTF-8 (UTF-16 arrives transcoded).
   */
  windows1252: boolean;
  /** Called with every data record; while it is absent the scanner collects only the key fields. */
  onRecord?: OnCsvRecord;
}

/** What a file's scan found (the JSON checks find the same). */
export interface ScanOutcome {
  header: string[];
  rows: number;
  /** The escaped length of the file as sent (sent-bytes.ts), and of its header record with its line end. */
  sentBytes: number;
  headerBytes: number;
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
  private recordStart = 0;
  private recordEmpty = true;
  /** A CR outside quotes whose next byte (maybe in the next chunk) says whether it ends the line. */
  private crPending = false;
  private crLine = 0;
  private crColumn = 0;
  /** The current field already has a quote problem: one report per field. */
  private fieldFaulty = false;
  private quoteLine = 0;
  private quoteColumn = 0;
  /** Bytes of a leading BOM seen so far; -1 once the start of the file is settled. */
  private bomSeen: number;
  private header: string[] | undefined;
  private readonly headerFields: string[] = [];
  /** The header, once read: a row reader needs it to find the key fields. */
  get headerRead(): string[] | undefined {
    return this.header;
  }
  private keySlots = new Int32Array(0);
  private keyCount = 0;
  /** A Buffer like the chunks: the hash functions that read both stay monomorphic (a Uint8Array deopted them). */
  private buf = Buffer.alloc(1024);
  private bufLen = 0;
  private fieldStart = 0;
  private ranges = new Int32Array(2);
  private rows = 0;
  /** Fields of the line scanLine just split. */
  private lineFields = 0;
  private truncatedFields = -1;
  /** What JSON escaping (and windows-1252's transcoding) adds to each byte value: see sent-bytes.ts. */
  private readonly escapes: Uint8Array;
  /** Fast path, per byte value: STOP ends an unquoted field (delimiter, LF, CR, quote), COUNT has escapes. */
  private readonly unquotedBytes = new Uint8Array(256);
  /** The same inside quotes: STOP for the quote and LF. */
  private readonly quotedBytes = new Uint8Array(256);
  /**
   * The fast path's tables hold no byte above this but the delimiter: `"` in UTF-8, so letters pass on two
   * compares; 0xFF in windows-1252, where bytes >= 0x80 count.
   */
  private readonly classifiedBelow: number;
  /** Escaped bytes beyond the bytes scanned, so far; the header's escaped length once its line end is read. */
  private extra = 0;
  private headerBytes = -1;
  /** Index of the next backslash in the chunk (UTF-8 only; see countBackslashes). */
  private nextBackslash = Number.POSITIVE_INFINITY;
  /** Set while onRecord is: every field's range, not only the keys'. */
  private readonly record: CsvRecordView | undefined;
  private readonly keys: KeyStats;
  private readonly columns: ProblemCollector;
  private readonly quotes = new ProblemCollector(
    'error',
    'E_SOURCE_QUOTE',
    (n) => `${n} fields have a stray quote`,
  );
  private readonly lineEnds = new ProblemCollector(
    'error',
    'E_SOURCE_LINE_END',
    (n) => `${n} lone CRs (a CR not followed by LF)`,
  );
  private readonly early: Diagnostic[] = [];

  constructor(private readonly options: CsvScannerOptions) {
    this.columns = new ProblemCollector(
      'error',
      'E_SOURCE_COLUMNS',
      (n) => `${n} rows have the wrong number of fields`,
    );
    this.keys = new KeyStats(options.duplicatesByDiff !== true);
    this.bomSeen = options.windows1252 ? -1 : 0;
    this.escapes = createEscapeTable(options.windows1252);
    this.classifiedBelow = options.windows1252 ? 0xff : QUOTE;
    for (let c = 0; c < 256; c += 1) {
      // in UTF-8 the backslash is left to countBackslashes
      const counted = (this.escapes[c] as number) > 0 && (options.windows1252 || c !== BACKSLASH);
      const kind = counted ? COUNT : 0;
      this.unquotedBytes[c] = c === options.delimiter || c === LF || c === CR || c === QUOTE ? STOP : kind;
      this.quotedBytes[c] = c === LF || c === QUOTE ? STOP : kind;
    }
    if (options.onRecord) this.record = new CsvRecordView(options.onRecord, options.decode);
  }

  /** Scans one chunk; the chunk may be reused by the caller afterwards. */
  /** The escaped length of the bytes scanned so far, as sent. */
  get sentSoFar(): number {
    return this.offset + this.extra;
  }

  /** Records so far (the header not counted). */
  get records(): number {
    return this.rows;
  }

  /** Room for about `rows` keys in the duplicate table, when the import has keys. */
  reserveKeys(rows: number): void {
    if (this.options.keyFields.length > 0) this.keys.reserve(rows);
  }

  push(chunk: Buffer): void {
    this.scan(this.bomSeen < 0 ? chunk : this.skipBom(chunk));
  }

  private scan(chunk: Buffer): void {
    const n = chunk.length;
    if (!this.options.windows1252) {
      const at = chunk.indexOf(BACKSLASH);
      this.nextBackslash = at < 0 ? Number.POSITIVE_INFINITY : at;
    }
    let i = 0;
    while (i < n) {
      if (this.betweenRecords) i = this.scanPlainLines(chunk, i);
      if (i < n) i = this.scanSlow(chunk, i);
    }
    this.offset += n;
    if (n > 0) this.lastByte = chunk[n - 1] as number;
  }

  /** Drops a leading BOM, even one split across chunks; a partial match turns out to be data. */
  private skipBom(chunk: Buffer): Buffer {
    const before = this.bomSeen;
    let i = 0;
    while (i < chunk.length && this.bomSeen < 3 && chunk[i] === UTF8_BOM[this.bomSeen]) {
      this.bomSeen += 1;
      i += 1;
    }
    if (this.bomSeen === 3 || i < chunk.length) {
      const matched = this.bomSeen === 3;
      this.bomSeen = -1;
      if (matched) return chunk.subarray(i);
      if (before > 0) this.scan(Buffer.from(UTF8_BOM.subarray(0, before)));
      return chunk;
    }
    return chunk.subarray(chunk.length);
  }

  /** The header was read and the next byte starts a record (a scan of the rest could start fresh here). */
  get betweenRecords(): boolean {
    return (
      this.state === FIELD_START &&
      this.fieldIndex === 0 &&
      this.recordEmpty &&
      !this.crPending &&
      this.header !== undefined
    );
  }

  /** Fast path: plain lines are split by one JS pass per line; odd lines fall back to the slow path. */
  private scanPlainLines(chunk: Buffer, from: number): number {
    let i = from;
    for (;;) {
      const lf = this.scanLine(chunk, i);
      if (lf < 0) return i;
      const fields = this.lineFields;
      if (fields > 0)
        this.acceptRow(fields, false, chunk, this.offset + i, this.offset + lf + 1, this.lineSent);
      i = lf + 1;
      this.line += 1;
      this.lineStart = this.offset + i;
      this.recordStart = this.lineStart;
      this.recordLine = this.line;
    }
  }

  /**
   * Splits the line at `start` into fields in one pass (a per-line native indexOf cost more than it saved):
   * the field count in lineFields (0 for a blank line), the key ranges, the escaped bytes in `extra`; returns
   * the index of its LF, or -1 (counting nothing) when the slow path must take it: a line that runs past the
   * chunk or a quoted field past the line, a doubled quote in a collected field, and every dialect error.
   */
  private scanLine(chunk: Buffer, start: number): number {
    const n = chunk.length;
    if (start >= n) return -1;
    const first = chunk[start] as number;
    this.lineFields = 0;
    if (first === LF || first === CR) {
      // a blank line
      const lf = first === LF ? start : start + 1 < n && chunk[start + 1] === LF ? start + 1 : -1;
      if (lf >= 0) this.extra += lf - start + 1;
      return lf;
    }
    const delim = this.options.delimiter;
    const keySlots = this.keySlots;
    const unquoted = this.unquotedBytes;
    const escapes = this.escapes;
    const limit = this.classifiedBelow;
    const record = this.record;
    let extra = 0;
    let fields = 1;
    let quoted = false;
    let j = start;
    for (;;) {
      const slot = fields <= keySlots.length ? (keySlots[fields - 1] as number) : -1;
      let k = j;
      let c = 0;
      if (j < n && chunk[j] === QUOTE) {
        k = this.closingQuote(chunk, j, slot >= 0 || record !== undefined);
        if (k < 0 || k + 1 >= n) return -1;
        quoted = true;
        extra += this.quotedExtra;
        if (slot >= 0) this.setRange(slot, j + 1, k);
        if (record !== undefined) record.setField(fields - 1, j + 1, k);
        k += 1;
        c = chunk[k] as number;
      } else {
        if (limit === QUOTE) {
          // UTF-8: letters pass on two compares; a control character ends the loop and the slow path counts it
          // (counting here slowed this loop by ~20%, even on data that has none)
          while (k < n) {
            c = chunk[k] as number;
            if (c === delim || (c <= QUOTE && unquoted[c] !== 0)) break;
            k += 1;
          }
        } else {
          // windows-1252: bytes >= 0x80 are letters that take more bytes once sent, counted here
          while (k < n) {
            c = chunk[k] as number;
            if (c === delim || unquoted[c] !== 0) {
              if (c === delim || unquoted[c] === STOP) break;
              extra += escapes[c] as number;
            }
            k += 1;
          }
        }
        if (k >= n || c === QUOTE || (c !== delim && unquoted[c] !== STOP)) return -1;
        if (slot >= 0) this.setRange(slot, j, k);
        if (record !== undefined) record.setField(fields - 1, j, k);
      }
      if (c === LF || (c === CR && k + 1 < n && chunk[k + 1] === LF)) {
        const lf = c === CR ? k + 1 : k;
        this.lineFields = fields;
        extra += (fields - 1) * (escapes[delim] as number);
        if (this.nextBackslash <= lf) extra += this.countBackslashes(chunk, start, lf);
        this.extra += extra + lf - k + 1;
        // unquoted, the line is what a delta sends: its bytes escaped, then "\n" (two bytes escaped)
        this.lineSent = quoted ? -1 : k - start + extra + 2;
        return lf;
      }
      if (c !== delim) return -1; // text after a closing quote, a lone CR, a CR at the end of the chunk
      fields += 1;
      j = k + 1;
    }
  }

  /** Set by scanLine: the escaped length of the line as a delta sends it, or -1 when a field was quoted. */
  private lineSent = -1;

  /** Set by closingQuote: the escaped bytes the quoted field adds (its quotes included). */
  private quotedExtra = 0;

  /**
   * Backslashes in chunk[start, end], from the position of the next one: in UTF-8 the fast path's tables leave
   * them out (one more test per byte cost ~15% of the scan) and Buffer.indexOf finds them, once per chunk
   * when there are none. Windows-1252 tables count them, and nextBackslash stays past every chunk.
   */
  private countBackslashes(chunk: Buffer, start: number, end: number): number {
    let at = this.nextBackslash < start ? chunk.indexOf(BACKSLASH, start) : this.nextBackslash;
    let count = 0;
    while (at >= 0 && at <= end) {
      count += 1;
      at = chunk.indexOf(BACKSLASH, at + 1);
    }
    this.nextBackslash = at < 0 ? Number.POSITIVE_INFINITY : at;
    return count;
  }

  /**
   * Index of the quote closing the field opened at `open`, or -1 when the line or chunk does not hold it (or a
   * collected field needs unescaping). Plain JS: quoted fields are short, a native indexOf per field cost more.
   */
  private closingQuote(chunk: Buffer, open: number, collected: boolean): number {
    const n = chunk.length;
    const quoted = this.quotedBytes;
    const escapes = this.escapes;
    const limit = this.classifiedBelow;
    let extra = 2; // the opening and closing quote
    let i = open + 1;
    for (;;) {
      let c = 0;
      while (i < n) {
        c = chunk[i] as number;
        if (c <= limit && quoted[c] !== 0) {
          if (quoted[c] === STOP) break;
          extra += escapes[c] as number;
        }
        i += 1;
      }
      if (i + 1 >= n || c === LF) return -1;
      if (chunk[i + 1] !== QUOTE) {
        this.quotedExtra = extra;
        return i;
      }
      if (collected) return -1; // a doubled quote inside a collected field: the slow path unescapes it
      extra += 2;
      i += 2;
    }
  }

  private setRange(slot: number, start: number, end: number): void {
    this.ranges[slot * 2] = start;
    this.ranges[slot * 2 + 1] = end;
  }

  /** The full state machine, until the end of the current record or of the chunk; returns where it stopped. */
  private scanSlow(chunk: Buffer, from: number): number {
    const delim = this.options.delimiter;
    const n = chunk.length;
    const escapes = this.escapes;
    let state = this.state;
    let collecting = this.collecting;
    let extra = this.extra;
    let i = from;
    for (; i < n; i += 1) {
      const c = chunk[i] as number;
      extra += escapes[c] as number;
      if (this.crPending) {
        this.crPending = false;
        if (c !== LF) {
          this.addLoneCr();
          if (collecting) this.append(CR);
          state = UNQUOTED;
          this.recordEmpty = false;
        }
      }
      if (state === FIELD_START && c === QUOTE) {
        state = QUOTED;
        this.recordEmpty = false;
        this.quoteLine = this.line;
        this.quoteColumn = this.columnOf(i);
      } else if (state === QUOTED) {
        if (c === QUOTE) state = QUOTE_SEEN;
        else {
          if (c === LF) this.newline(i);
          if (collecting) this.append(c);
        }
      } else if (state === QUOTE_SEEN && c === QUOTE) {
        if (collecting) this.append(c); // a doubled quote
        state = QUOTED;
      } else if (c === delim) {
        this.recordEmpty = false;
        collecting = this.nextField();
        state = FIELD_START;
      } else if (c === LF) {
        collecting = this.closeLine(i, extra);
        state = FIELD_START;
        i += 1;
        break;
      } else if (c === CR) this.holdCr(i);
      else {
        if (state === QUOTE_SEEN)
          this.addQuoteProblem(i, 'text after the closing quote of a quoted field', AFTER_QUOTE_HINT);
        else if (c === QUOTE) this.addQuoteProblem(i, 'a quote inside an unquoted field', STRAY_QUOTE_HINT);
        state = UNQUOTED;
        this.recordEmpty = false;
        if (collecting) this.append(c);
      }
    }
    this.state = state;
    this.collecting = collecting;
    this.extra = extra;
    return i;
  }

  finish(): ScanOutcome {
    if (this.bomSeen > 0) this.scan(Buffer.from(UTF8_BOM.subarray(0, this.bomSeen))); // a file shorter than a BOM
    this.bomSeen = -1;
    const endsWithNewline = this.lastByte === LF;
    if (this.crPending) {
      this.crPending = false;
      this.addLoneCr();
    }
    if (this.state === QUOTED) {
      const message = 'unterminated quoted field: the quote opened here is never closed';
      this.early.push({
        ...problem('error', 'E_SOURCE_QUOTE', message, this.options, this.quoteLine, this.quoteColumn),
        hint: 'close the quote; a quote inside a quoted field is written twice ("")',
      });
    } else if (!(this.recordEmpty && this.fieldIndex === 0)) {
      this.endRecord(!endsWithNewline, this.offset);
    }
    // the upload ends a file that does not end with LF with one: "\n", escaped to two bytes
    const sentBytes = this.offset + this.extra + (this.offset > 0 && !endsWithNewline ? 2 : 0);
    return {
      header: this.header ?? this.headerFields,
      rows: this.rows,
      sentBytes,
      headerBytes: this.headerBytes < 0 ? sentBytes : this.headerBytes,
      truncated: this.truncatedFields >= 0,
      keys: this.keys,
      diagnostics: this.collectDiagnostics(),
    };
  }

  private collectDiagnostics(): Diagnostic[] {
    this.keys.release();
    const out = [
      ...this.early,
      ...this.quotes.toDiagnostics(this.options),
      ...this.lineEnds.toDiagnostics(this.options),
      ...this.columns.toDiagnostics(this.options),
    ];
    if (this.truncatedFields >= 0) {
      const expected = this.header?.length ?? 0;
      const message = `the last record has ${this.truncatedFields} of ${expected} fields and the file does not end with a newline: it looks cut short`;
      out.push(problem('error', 'E_SOURCE_TRUNCATED', message, this.options, this.recordLine, 1));
    }
    out.push(
      ...this.keys.toDiagnostics(this.options, this.options.keyFields, {
        strict: this.options.strictKeys,
        unique: this.options.uniqueKeys,
      }),
    );
    if (this.rows === 0) out.push(problem('warning', 'E_SOURCE_EMPTY', 'no data rows', this.options, 1, 1));
    return out;
  }

  private columnOf(i: number): number {
    return this.offset + i - this.lineStart + 1;
  }

  private holdCr(i: number): void {
    this.crPending = true;
    this.crLine = this.line;
    this.crColumn = this.columnOf(i);
  }

  private addLoneCr(): void {
    const message = 'a CR not followed by LF outside quotes: a line end only some readers see';
    this.lineEnds.add(this.crLine, this.crColumn, () => message, LINE_END_HINT);
  }

  private addQuoteProblem(i: number, message: string, hint: string): void {
    if (this.fieldFaulty) return;
    this.fieldFaulty = true;
    this.quotes.add(this.line, this.columnOf(i), () => message, hint);
  }

  private newline(i: number): void {
    this.line += 1;
    this.lineStart = this.offset + i + 1;
  }

  /** An LF outside quotes at chunk index i (`extra` counted up to it): the record (or blank line) ends. */
  private closeLine(i: number, extra: number): boolean {
    // the first line end outside quotes ends what a later file of a combined import does not send again
    if (this.headerBytes < 0) this.headerBytes = this.offset + i + 1 + extra;
    this.newline(i);
    return this.endRecord(false, this.lineStart);
  }

  private append(c: number): void {
    if (this.bufLen === this.buf.length) {
      const bigger = Buffer.alloc(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.bufLen] = c;
    this.bufLen += 1;
  }

  /** Ends the current field and starts the next; returns whether the new field is collected. */
  private nextField(): boolean {
    this.endField();
    this.fieldIndex += 1;
    return this.beginField();
  }

  private beginField(): boolean {
    this.fieldStart = this.bufLen;
    this.fieldFaulty = false;
    if (this.header === undefined || this.record) return true;
    return this.fieldIndex < this.keySlots.length && (this.keySlots[this.fieldIndex] as number) >= 0;
  }

  private endField(): void {
    const end = this.bufLen;
    if (this.header === undefined) {
      this.headerFields.push(this.options.decode(this.buf.subarray(this.fieldStart, end)));
      return;
    }
    this.record?.setField(this.fieldIndex, this.fieldStart, end);
    const slot = this.fieldIndex < this.keySlots.length ? (this.keySlots[this.fieldIndex] as number) : -1;
    if (slot >= 0) this.setRange(slot, this.fieldStart, end);
  }

  /** Closes a record (header or data) ending before `end`; returns whether the next record's first field is collected. */
  private endRecord(cutShort: boolean, end: number): boolean {
    const blankLine = this.recordEmpty && this.fieldIndex === 0;
    if (!blankLine) {
      this.endField();
      if (this.header === undefined) this.acceptHeader();
      else this.acceptRow(this.fieldIndex + 1, cutShort, this.buf, this.recordStart, end);
    }
    this.fieldIndex = 0;
    this.bufLen = 0;
    this.recordEmpty = true;
    this.recordLine = this.line;
    this.recordStart = end;
    return this.beginField();
  }

  private acceptHeader(): void {
    const header = this.headerFields;
    this.header = header;
    const delimiter = String.fromCharCode(this.options.delimiter);
    if (!this.options.delimiterDeclared)
      this.early.push(...checkUndeclaredDelimiter(header, delimiter, this.options));
    const likely = findLikelyDelimiter(header, delimiter);
    this.early.push(...checkKeyFields(header, this.options.keyFields, this.options, likely));
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

  /**
   * `bytes` holds the key fields at `ranges` (the chunk on the fast path, the copy buffer otherwise);
   * `start`..`end` is the record's byte range in the file (after a BOM), its line end included; `sent` the
   * escaped length a delta sends it with, when the fast path knew it (else -1).
   */
  private acceptRow(
    fields: number,
    cutShort: boolean,
    bytes: Uint8Array,
    start: number,
    end: number,
    sent = -1,
  ): void {
    this.rows += 1;
    const expected = (this.header as string[]).length;
    // The key is hashed once: the duplicate check and a row reader (record.keyFlags) share it.
    let flags = -1;
    if (fields === expected && this.keyCount > 0) {
      flags = hashKeyBytes(bytes, this.ranges, this.keyCount, this.options.windows1252);
      if (flags === KEY_TEXT) flags = hashKeyValues(this.keyValues(bytes)); // rare letters: decoded first
    }
    if (this.record !== undefined) this.record.emit(bytes, this.recordLine, start, end, fields, flags, sent);
    if (fields !== expected) {
      if (cutShort && fields < expected) this.truncatedFields = fields;
      else this.addColumnProblem(fields, expected);
      return;
    }
    if (flags < 0) return;
    if (this.keys.add(flags, this.recordLine)) {
      this.keys.addExample(this.keyValues(bytes).join(' / '), this.recordLine);
    }
  }

  /** Not inline in acceptRow: a closure there cost every row an allocation (the context of what it captures). */
  private addColumnProblem(fields: number, expected: number): void {
    const line = this.recordLine;
    this.columns.add(line, 1, () => `line ${line} has ${fields} fields, the header has ${expected}`);
  }

  private keyValues(bytes: Uint8Array): string[] {
    const values: string[] = [];
    for (let slot = 0; slot < this.keyCount; slot += 1) {
      const start = this.ranges[slot * 2] as number;
      values.push(this.options.decode(bytes.subarray(start, this.ranges[slot * 2 + 1] as number)));
    }
    return values;
  }
}
