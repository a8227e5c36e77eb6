// What resolving an import's source yields: the files it matched, their hashes, rows and header, and problems.

import type { Delimiter, SourceEncoding, SourceFormat } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { RowHashes } from './row-types.js';

/** The identity used to skip re-reading an unchanged file (see DESIGN.md section 3). */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** What scanning one file's bytes found; cached in the state by (path, stamp). */
export interface FileScan {
  /** sha256 hex of the raw bytes. */
  hash: string;
  /** Data records, the header excluded. */
  rows: number;
  /** Column names (CSV header, or the first JSON record's keys), BOM and all as found. */
  header: string[];
  /**
   * The byte length of this file's data as the upload sends it, JSON-escaped (sent-bytes.ts): the CSV file as
   * a source's only file (UTF-8, BOM stripped, LF-ended), a JSON/JSONL file's records as rendered.
   */
  sentBytes: number;
  /** CSV: the same for the header record with its line end, which a later file of a combined import does not send. */
  headerBytes: number;
  /** Records whose key fields are all blank. */
  blankKeys: number;
  /** Records whose key repeats an earlier record of the same file. */
  duplicateKeys: number;
  /** Up to 5 duplicate key values, for the message. */
  duplicateExamples: string[];
  /** The last record is cut short (no final newline and too few columns). */
  truncated: boolean;
  /** Problems found in this file (already positioned at file:line). */
  diagnostics: Diagnostic[];
  /** Rows mode only (ScanOptions.rows): every row's hashes; never in the hash cache. */
  rowHashes?: RowHashes;
  /** The scan options the checks ran with (format, delimiter, encoding, keys, severity): a cache hit needs the same. */
  scanKey?: string;
}

export interface ResolvedFile extends FileScan {
  /** Path relative to imports.yaml's directory, with `/` separators. */
  path: string;
  absPath: string;
  /** How diagnostics name the file (relative to the working directory, or `<command>`). */
  displayPath?: string;
  stamp: FileStamp;
  format: SourceFormat;
  delimiter: Delimiter;
  encoding: SourceEncoding;
  /** True when the hash came from the state's cache rather than a read. */
  cached: boolean;
  /** For a cached file: when its cache entry was recorded (kept, so an unchanged tree rewrites no state). */
  cacheRecordedAtMs?: number;
}

export interface ResolvedSource {
  importName: string;
  kind: 'files' | 'command' | 'location';
  /** Files in sorted path order; a command's output is one file (a temp file) with path `<command>`. */
  files: ResolvedFile[];
  format: SourceFormat | undefined;
  delimiter: Delimiter | undefined;
  /** The shared header of all files (undefined for location, or when the files disagree). */
  header: string[] | undefined;
  /** Total data rows over all files. */
  rows: number;
  blankKeys: number;
  duplicateKeys: number;
  duplicateExamples: string[];
  truncated: boolean;
  /** Every problem of the source, file-level ones included. */
  diagnostics: Diagnostic[];
  /** A command source's temp directory (its stdout); removed by disposeSources. */
  tempDir?: string;
}
