// One pass over a file's bytes: sha256, UTF-8 validation, decoding, record counting, header and checks.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import type { Delimiter, SourceEncoding, SourceFormat } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { CsvScanner } from './csv-scanner.js';
import { createStreamDecoder, createTextDecoder, isWindows1252, stripBom } from './decode.js';
import { JsonRecordChecks } from './json-records.js';
import { JsonArraySplitter, JsonlSplitter, type TextSplitter } from './json-splitters.js';
import { CHUNK_BYTES, createReadBuffers, type ReadBuffers, readChunks } from './read-chunks.js';
import type { KeyStats } from './scan-checks.js';
import { problem } from './scan-checks.js';
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
  importName: string;
}

/** Read buffers kept for the next file of this thread: a fresh 1 MiB per file cost ~10% in GC. */
const spareBuffers: ReadBuffers[] = [];

interface ContentSink {
  readonly line: number;
  push(chunk: Buffer): void;
  finish(): {
    header: string[];
    rows: number;
    sentBytes: number;
    headerBytes: number;
    truncated: boolean;
    keys: KeyStats;
    diagnostics: Diagnostic[];
  };
}

export async function scanFile(absPath: string, options: ScanOptions): Promise<FileScan> {
  const buffers = spareBuffers.pop() ?? createReadBuffers();
  try {
    const run = createScanRun(options);
    for await (const chunk of readChunks(absPath, buffers)) run.push(chunk);
    return run.finish();
  } finally {
    if (spareBuffers.length < 2) spareBuffers.push(buffers);
  }
}

/** The same with blocking reads, for worker threads: no round trip through the thread pool per 1 MiB read. */
export function scanFileSync(absPath: string, options: ScanOptions): FileScan {
  const fd = openSync(absPath, 'r');
  const buffers = spareBuffers.pop() ?? createReadBuffers();
  const [buffer] = buffers;
  try {
    const run = createScanRun(options);
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return run.finish();
      run.push(buffer.subarray(0, bytesRead));
    }
  } finally {
    if (spareBuffers.length < 2) spareBuffers.push(buffers);
    closeSync(fd);
  }
}

/** The one pass: hash, validate, scan; fed chunk by chunk. */
function createScanRun(options: ScanOptions): { push(chunk: Buffer): void; finish(): FileScan } {
  const hash = createHash('sha256');
  const validator = options.encoding === 'utf-8' ? new Utf8Validator() : undefined;
  const sink = createSink(options);
  let encodingLine = 0;
  let position = 0;
  return {
    push(chunk) {
      hash.update(chunk);
      if (validator && validator.invalidAt === undefined) {
        validator.push(chunk);
        if (validator.invalidAt !== undefined) {
          encodingLine = sink.line + countNewlines(chunk, validator.invalidAt - position);
        }
      }
      sink.push(chunk);
      position += chunk.length;
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
export function createScanKey(options: ScanOptions): string {
  const { format, delimiter, delimiterDeclared, encoding, keyFields, strictKeys } = options;
  return JSON.stringify([
    SCAN_VERSION,
    format,
    delimiter,
    delimiterDeclared,
    encoding,
    keyFields,
    strictKeys,
  ]);
}

/** Newlines in chunk[0, end): the line of an invalid byte found in this chunk. */
function countNewlines(chunk: Buffer, end: number): number {
  let count = 0;
  for (let i = chunk.indexOf(10); i >= 0 && i < end; i = chunk.indexOf(10, i + 1)) count += 1;
  return count;
}

function createSink(options: ScanOptions): ContentSink {
  return options.format === 'csv' ? createCsvSink(options) : createJsonSink(options);
}

function createCsvSink(options: ScanOptions): ContentSink {
  const decode = createTextDecoder(options.encoding === 'utf-16le' ? 'utf-8' : options.encoding);
  const scanner = new CsvScanner({
    ...options,
    delimiter: options.delimiter.charCodeAt(0),
    decode,
    windows1252: isWindows1252(options.encoding),
  });
  // UTF-16 is transcoded to UTF-8 so the byte scanner sees one shape of input.
  const transcode = options.encoding === 'utf-16le' ? createStreamDecoder('utf-16le') : undefined;
  return {
    get line() {
      return scanner.line;
    },
    push(chunk) {
      scanner.push(transcode ? Buffer.from(transcode(chunk), 'utf8') : chunk);
    },
    finish() {
      if (transcode) scanner.push(Buffer.from(transcode(undefined), 'utf8'));
      return scanner.finish();
    },
  };
}

function createJsonSink(options: ScanOptions): ContentSink {
  const checks = new JsonRecordChecks(options);
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
