// One pass over a file's bytes: sha256, UTF-8 validation, decoding, record counting, header and checks.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Delimiter, SourceEncoding, SourceFormat } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { CsvRecordView } from './csv-record.js';
import { CsvScanner, type ScanOutcome } from './csv-scanner.js';
import { createStreamDecoder, createTextDecoder, isWindows1252, stripBom } from './decode.js';
import { JsonRecordChecks } from './json-records.js';
import { JsonArraySplitter, JsonlSplitter, type TextSplitter } from './json-splitters.js';
import { CHUNK_BYTES, createReadBuffers, type ReadBuffers, readChunks } from './read-chunks.js';
import { findKeyIndexes, problem } from './scan-checks.js';
import { csvRow, jsonRow, RowCollector, type SourceRow } from './scan-rows.js';
import { createEscapeTable, escapedLength } from './sent-bytes.js';
import { renderJsonRecord } from './stream-source-text.js';
import type { FileScan } from './types.js';
import { Utf8Validator } from './utf8-validator.js';

export interface ScanOptions {
  /** How the file is named in diagnostics. */
  displayPath: string;
  format: SourceFormat;
  delimiter: Delimiter;
  /** The import names its delimiter (or the file is .tsv): a one-column header holding `;` or a tab is then trusted. */
  delimiterDeclared: boolean;
  encoding: SourceEncoding;
  keyFields: string[];
  /** Blank and padded keys are errors: the import deletes (delete, removeMissing, prune), a wrong key costs data. */
  strictKeys: boolean;
  /** Repeated keys are errors: send: changes and prune compare rows by key. */
  uniqueKeys?: boolean;
  importName: string;
  /** Rows mode: every row's hashes in FileScan.rows (the row-level diff), never served from the hash cache. */
  rows?: boolean;
}

/** Rows mode, inline: each row as it is read (a delta being sent, a snapshot being written). */
export type OnRow = (row: SourceRow) => void;

/** Read buffers kept for the next file of this thread: a fresh 1 MiB per file cost ~10% in GC. */
const spareBuffers: ReadBuffers[] = [];

interface ContentSink {
  readonly line: number;
  /** Between two records (a CSV half may end here). */
  readonly atRecordStart: boolean;
  /** The escaped length of the bytes so far (CSV). */
  readonly sent: number;
  /** Records read so far. */
  readonly records: number;
  /** Room for about this many records' keys. */
  reserve(records: number): void;
  push(chunk: Buffer): void;
  finish(): ScanOutcome;
}

export async function scanFile(absPath: string, options: ScanOptions): Promise<FileScan> {
  let scan: FileScan | undefined;
  for await (const done of eachChunk(absPath, options)) scan = done;
  return scan as FileScan;
}

/** The scan, a chunk at a time: undefined after each chunk (a consumer flushes what onRow gave it), then the scan. */
export async function* eachChunk(
  absPath: string,
  options: ScanOptions,
  onRow?: OnRow,
): AsyncIterable<FileScan | undefined> {
  const buffers = spareBuffers.pop() ?? createReadBuffers();
  try {
    const run = createScanRun(options, onRow, (await stat(absPath)).size);
    for await (const chunk of readChunks(absPath, buffers)) {
      run.push(chunk);
      yield undefined;
    }
    yield run.finish();
  } finally {
    if (spareBuffers.length < 2) spareBuffers.push(buffers);
  }
}

/** The same with blocking reads, for worker threads: no round trip through the thread pool per 1 MiB read. */
export function scanFileSync(absPath: string, options: ScanOptions): FileScan {
  return scanHalfSync(absPath, options, undefined).scan;
}

/**
 * One of the two halves of a big file that scan-split.ts scans at once, split after a line end at `at`:
 * the first scans [0, at) and hashes every byte; the second scans the header line, then [at, end), unhashed.
 */
export interface ScanHalf {
  half: 'first' | 'second';
  at: number;
}

/**
 * A half's scan. `line`: where the first half stopped, where the second half's first record is counted from (its
 * header record read); `clean`: the first half stopped between two records (not inside a quoted field), the
 * second half read its header record.
 */
export interface HalfScan {
  scan: FileScan;
  line: number;
  clean: boolean;
  /** The second half: the escaped length of its header record, which the first half sends. */
  header: number;
}

export function scanHalfSync(absPath: string, options: ScanOptions, half: ScanHalf | undefined): HalfScan {
  const fd = openSync(absPath, 'r');
  const buffers = spareBuffers.pop() ?? createReadBuffers();
  const [buffer] = buffers;
  try {
    const size = fstatSync(fd).size;
    // the first half sizes its row arrays for the whole file: the second half's rows are appended to them
    const run = createScanRun(options, undefined, half?.half === 'second' ? size - half.at : size, {
      hash: half?.half !== 'second',
    });
    let position = 0;
    let header = 0;
    let start = 0;
    if (half?.half === 'second') {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, 0);
      const end = headerEnd(buffer.subarray(0, read));
      if (end < 0 || end > half.at) return { scan: run.finish(), line: 0, clean: false, header: 0 };
      run.push(buffer.subarray(0, end)); // the header record, then the second half
      header = run.sink.sent;
      start = run.sink.line;
      position = half.at;
    }
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      const end = half?.half === 'first' ? Math.max(0, Math.min(bytesRead, half.at - position)) : bytesRead;
      if (end > 0) run.push(buffer.subarray(0, end));
      if (end < bytesRead) run.hashOnly(buffer.subarray(end, bytesRead));
      position += bytesRead;
    }
    const line = half?.half === 'second' ? start : run.sink.line;
    // the first half must end between records; the second half ends where the file does
    const clean = half?.half === 'second' || run.sink.atRecordStart;
    return { scan: run.finish(), line, clean, header };
  } finally {
    if (spareBuffers.length < 2) spareBuffers.push(buffers);
    closeSync(fd);
  }
}

/** Just past the header record: the first line end outside quotes after something (blank lines go before it). */
function headerEnd(bytes: Uint8Array): number {
  let quoted = false;
  let blank = true;
  for (let i = 0; i < bytes.length; i += 1) {
    const c = bytes[i] as number;
    if (c === 0x22) quoted = !quoted;
    if (c === 0x0a && !quoted) {
      if (!blank) return i + 1;
    } else if (c !== 0x0d) blank = false;
  }
  return -1;
}

/** The one pass: hash, validate, scan; fed chunk by chunk. */
interface ScanRun {
  push(chunk: Buffer): void;
  /** Bytes past a first half: hashed, not scanned. */
  hashOnly(chunk: Buffer): void;
  /** Where the scan is: its line, whether between records, the escaped length so far. */
  readonly sink: Pick<ContentSink, 'line' | 'atRecordStart' | 'sent'>;
  finish(): FileScan;
}

function createScanRun(
  options: ScanOptions,
  onRow: OnRow | undefined,
  size: number,
  { hash: hashed = true } = {},
): ScanRun {
  const hash = createHash('sha256');
  const validator = options.encoding === 'utf-8' ? new Utf8Validator() : undefined;
  // a row reader (onRow) takes each row as it comes: no arrays of every row's hashes
  const rows = options.rows && !onRow ? new RowCollector() : undefined;
  const sink = createSink(options, rows, onRow);
  let encodingLine = 0;
  let position = 0;
  let reserved = false;
  return {
    sink,
    hashOnly(chunk) {
      hash.update(chunk);
    },
    push(chunk) {
      if (hashed) hash.update(chunk);
      if (validator && validator.invalidAt === undefined) {
        validator.push(chunk);
        if (validator.invalidAt !== undefined) {
          encodingLine = sink.line + countNewlines(chunk, validator.invalidAt - position);
        }
      }
      sink.push(chunk);
      position += chunk.length;
      // A big file: room for all its keys (and rows) at once, estimated from the first records, not doubled to.
      if (!reserved && sink.records > 0) {
        reserved = true;
        const estimate = Math.ceil((sink.records * size * 1.05) / position);
        if (position < size) sink.reserve(estimate);
        if (position < size) rows?.reserve(estimate);
      }
    },
    finish() {
      validator?.finish();
      const outcome = sink.finish();
      const diagnostics = outcome.diagnostics;
      if (validator?.invalidAt !== undefined)
        diagnostics.unshift(encodingProblem(options, validator.invalidAt, encodingLine || sink.line));
      return {
        hash: hash.digest('hex'),
        rows: outcome.rows,
        header: outcome.header,
        sentBytes: outcome.sentBytes,
        headerBytes: outcome.headerBytes,
        blankKeys: outcome.keys.blankKeys,
        duplicateKeys: outcome.keys.duplicateKeys,
        duplicateExamples: [...outcome.keys.duplicateExamples],
        truncated: outcome.truncated,
        diagnostics,
        scanKey: createScanKey(options),
        ...(rows ? { rowHashes: rows.result() } : {}),
      };
    },
  };
}

function encodingProblem(options: ScanOptions, offset: number, line: number): Diagnostic {
  return {
    ...problem('error', 'E_SOURCE_ENCODING', `invalid UTF-8 at byte offset ${offset}`, options, line, 1),
    hint: 'set `encoding:` on the import (windows-1252, latin1 or utf-16le) or re-export the file as UTF-8',
  };
}

/** Bumped when a scan finds more than before (checks, FileScan fields): older cache entries are scanned again. */
const SCAN_VERSION = 2;

/** What the cached checks depend on besides the bytes: a cache hit needs the same key. */
export function createScanKey(o: ScanOptions): string {
  const checks = [o.format, o.delimiter, o.delimiterDeclared, o.encoding, o.keyFields, o.strictKeys];
  // (a rows-mode scan of unique keys leaves repeats to the row diff, which adds them to the scan before it is cached)
  return JSON.stringify([SCAN_VERSION, ...checks, o.uniqueKeys === true]);
}

/** Newlines in chunk[0, end): the line of an invalid byte found in this chunk. */
function countNewlines(chunk: Buffer, end: number): number {
  let count = 0;
  for (let i = chunk.indexOf(10); i >= 0 && i < end; i = chunk.indexOf(10, i + 1)) count += 1;
  return count;
}

function createSink(
  options: ScanOptions,
  rows: RowCollector | undefined,
  onRow: OnRow | undefined,
): ContentSink {
  return options.format === 'csv'
    ? createCsvSink(options, rows, onRow)
    : createJsonSink(options, rows, onRow);
}

function createCsvSink(
  options: ScanOptions,
  rows: RowCollector | undefined,
  onRow: OnRow | undefined,
): ContentSink {
  const decode = createTextDecoder(options.encoding === 'utf-16le' ? 'utf-8' : options.encoding);
  const windows1252 = isWindows1252(options.encoding);
  const delimiter = options.delimiter.charCodeAt(0);
  const extra = createEscapeTable(windows1252);
  let keyIndexes: number[] | undefined;
  const scanner: CsvScanner = new CsvScanner({
    ...options,
    delimiter,
    decode,
    windows1252,
    duplicatesByDiff: options.rows === true && options.uniqueKeys === true,
    ...(options.rows
      ? {
          onRecord: (record) => {
            const header = scanner.headerRead ?? [];
            keyIndexes ??= findKeyIndexes(header, options.keyFields);
            if (!keyIndexes || record.fieldCount !== header.length) return; // not a row: the checks say why
            const view = record as CsvRecordView;
            if (onRow) return onRow(csvRow(record, keyIndexes, options.delimiter, windows1252));
            // The plan's diff needs only the hashes: no row object per record.
            const flags = view.hashKey(keyIndexes, windows1252);
            view.hashRow(delimiter);
            rows?.add(flags, view.sentLength(delimiter, extra), record.line);
          },
        }
      : {}),
  });
  // UTF-16 is transcoded to UTF-8 so the byte scanner sees one shape of input.
  const transcode = options.encoding === 'utf-16le' ? createStreamDecoder('utf-16le') : undefined;
  return {
    get line() {
      return scanner.line;
    },
    get atRecordStart() {
      return scanner.betweenRecords;
    },
    get sent() {
      return scanner.sentSoFar;
    },
    get records() {
      return scanner.records;
    },
    reserve: (records) => scanner.reserveKeys(records),
    push(chunk) {
      scanner.push(transcode ? Buffer.from(transcode(chunk), 'utf8') : chunk);
    },
    finish() {
      if (transcode) scanner.push(Buffer.from(transcode(undefined), 'utf8'));
      return scanner.finish();
    },
  };
}

function createJsonSink(
  options: ScanOptions,
  rows: RowCollector | undefined,
  onRow: OnRow | undefined,
): ContentSink {
  const checks = new JsonRecordChecks(options);
  if (options.rows) {
    checks.onRecord = (values, text, line) => {
      if (!options.keyFields.every((k) => k in values)) return;
      const rendered = renderJsonRecord(text, checks.header ?? []);
      const row = jsonRow(values, checks.header ?? [], options.keyFields, rendered, line, options.encoding);
      rows?.add(row.flags, escapedLength(rendered), line);
      onRow?.(row);
    };
  }
  const splitter: TextSplitter =
    options.format === 'json' ? new JsonArraySplitter(checks) : new JsonlSplitter(checks);
  const decode = createStreamDecoder(options.encoding);
  let first = true;
  const pushText = (text: string): void => {
    if (text === '') return;
    splitter.push(first ? stripBom(text) : text);
    first = false;
  };
  return {
    get line() {
      return splitter.line;
    },
    atRecordStart: false,
    sent: 0,
    get records() {
      return checks.rows;
    },
    reserve: (records) => {
      if (options.keyFields.length > 0) checks.keys.reserve(records);
    },
    push: (chunk) => pushText(decode(chunk)),
    finish() {
      pushText(decode(undefined));
      splitter.finish();
      const header = checks.header ?? [];
      return {
        header,
        rows: checks.rows,
        sentBytes: checks.sentBytes,
        headerBytes: 0,
        truncated: false,
        keys: checks.keys,
        diagnostics: checks.diagnostics(),
      };
    },
  };
}
