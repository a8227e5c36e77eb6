// The rows of a source as the row-level diff sees them: per row, its key's hash, its own hash, and what it weighs
// when sent on its own in a delta.

/** Every data row of one file, in order, in flat arrays (they cross from a scan worker without a copy). */
export interface RowHashes {
  count: number;
  /** Row i's key hash: [2i] high, [2i + 1] low half (key-identity.ts: trimmed, case-folded key values). */
  keys: Uint32Array;
  /** Row i's hash over its field values in header order: any value that changes changes it. */
  hashes: Uint32Array;
  /** Escaped UTF-8 bytes of row i as a delta sends it (its text and a line end, JSON-escaped). */
  sent: Uint32Array;
  /** 1-based line where row i starts. */
  lines: Uint32Array;
  /** KEY_HASHED or KEY_BLANK, plus KEY_PADDED (key-identity.ts). */
  states: Uint8Array;
}

/** One row, read for sending (a delta) or for keeping (the snapshot); valid during the callback only. */
export interface SourceRow {
  line: number;
  keyHi: number;
  keyLo: number;
  rowHi: number;
  rowLo: number;
  /** The key fields' values as written (the snapshot keeps them in full, a prune deletes by them). */
  keyValues(): string[];
  /** The row as a delta sends it: CSV re-written with the file's delimiter (quoted where needed) and "\n"; a JSON record as the upload renders it. */
  text(): string;
}
