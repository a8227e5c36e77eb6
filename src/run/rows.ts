// The row-level diff (DESIGN.md section 9): the previous version of an import's rows (its row snapshot, or its
// files at --changed-since's ref), the rows of the data now, and what changed between them, by key.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportDefinition } from '../config/types.js';
import { type RowDiffer, RowIndex, RowMerge, type RowVerdict } from '../plan/row-index.js';
import type { RowDiff } from '../plan/types.js';
import { inferDelimiter, inferFormat } from '../sources/infer-format.js';
import {
  hashKeyBytes,
  hashKeyValues,
  isBlankKey,
  KEY_BLANK,
  KEY_TEXT,
  lastKeyHash,
} from '../sources/key-identity.js';
import type { RowHashes } from '../sources/row-types.js';
import { ProblemCollector } from '../sources/scan-checks.js';
import { eachChunk, type ScanOptions } from '../sources/scan-file.js';
import type { FileScan, ResolvedFile, ResolvedSource } from '../sources/types.js';
import { readSnapshot, readSnapshotKeys, snapshotPath } from '../state/row-snapshot.js';
import type { StateEntry } from '../state/types.js';
import { filesThen, type RefView, showAtRef } from './changed-since.js';

/** The previous version's rows: key and row hashes, and each key in full (what a prune deletes by). */
export interface PreviousRows {
  count: number;
  keys: Uint32Array;
  hashes: Uint32Array;
  header: string[];
  /** No key repeats (the snapshot says so): the diff walks both in order instead of indexing every key. */
  uniqueKeys: boolean;
  /** The keys of these rows in full (key fields joined by NUL), in the order asked. */
  keyTexts(indexes: readonly number[]): Promise<string[]>;
}

/** No previous rows (the snapshot is gone): a diff against it still finds repeated keys. */
export const NO_ROWS: PreviousRows = {
  count: 0,
  keys: new Uint32Array(0),
  hashes: new Uint32Array(0),
  header: [],
  uniqueKeys: true,
  keyTexts: async () => [],
};

/** What apply needs of a diff besides the counts: which rows a delta sends, and which keys a prune deletes. */
export interface RecordRows extends RowDiff {
  previous: PreviousRows;
  /** Per file path: 1 for each row a delta sends, in the file's row order. */
  send: Map<string, Uint8Array>;
  /** Escaped bytes of the delta's rows (its header line not counted). */
  deltaBytes: number;
  /** Previous rows whose key the data no longer has. */
  removed: number[];
}

/** Imports whose rows are kept: combined, keyed, read by this tool (not a location), not a delete. */
export function keepsRows(def: ImportDefinition): boolean {
  return (
    def.mode === 'combined' &&
    def.keyFields.length > 0 &&
    def.source.kind !== 'location' &&
    def.action !== 'delete'
  );
}

/** No row diff is needed when the files are the ones the snapshot was taken from. */
export function sameFiles(
  snapshot: ReadonlyArray<{ path: string; hash: string }>,
  now: ReadonlyArray<{ path: string; hash: string | undefined }>,
): boolean {
  const before = new Map(snapshot.map((f) => [f.path, f.hash]));
  return (
    before.size === now.length && now.every((f) => f.hash !== undefined && before.get(f.path) === f.hash)
  );
}

/** The import's snapshot; keys of a prune the state says finished are gone from it. */
export async function loadSnapshotRows(
  statePath: string,
  entry: StateEntry | undefined,
  def: Pick<ImportDefinition, 'name' | 'keyFields'>,
) {
  const path = snapshotPath(statePath, def.name);
  const keys = new KeyHashes(def.keyFields.length, (entry?.rowSnapshot?.rows ?? 0) + 1024);
  const snapshot = await readSnapshot(path, (bytes, start, end, index) => keys.add(bytes, start, end, index));
  // An older build kept rows without a key, which no diff can match: as if there were no snapshot (prune none)
  if (!snapshot || keys.blank) return undefined;
  const { pending = 0, pruneToken } = snapshot.meta;
  // Once a prune was recorded as about to be sent, its keys are never sent again, unless Copernica said it failed.
  const prune = entry?.prune;
  const pruned = prune !== undefined && prune.token === pruneToken && prune.outcome !== 'failed';
  const count = pruned ? snapshot.meta.rows - pending : snapshot.meta.rows;
  const previous: PreviousRows = {
    count,
    keys: keys.hashes.subarray(0, count * 2),
    hashes: snapshot.rowHash.subarray(0, count * 2),
    header: snapshot.meta.header,
    uniqueKeys: snapshot.meta.uniqueKeys === true,
    // Only a prune and drift's examples need keys as text: the file is read again for those few.
    keyTexts: (indexes) => readSnapshotKeys(path, indexes),
  };
  return previous;
}

/** The snapshot's keys hashed as the scan hashes keys now (trimmed, case-folded), from their UTF-8 bytes. */
class KeyHashes {
  hashes: Uint32Array;
  /** A key was blank (nothing hashed for it). */
  blank = false;
  private ranges = new Int32Array(8);

  /** `fields`: key fields a key joins with NUL; `rows`: about how many (the state's count), for room at once. */
  constructor(
    private readonly fields: number,
    rows: number,
  ) {
    this.hashes = new Uint32Array(rows * 2);
  }

  add(bytes: Buffer, start: number, end: number, index: number): void {
    let values = 0;
    // one key field: no NUL to look for
    for (let at = this.fields === 1 ? end : start, from = start; at <= end; at += 1) {
      if (at < end && bytes[at] !== 0) continue;
      if (values * 2 + 2 > this.ranges.length) this.ranges = grow(this.ranges);
      this.ranges[values * 2] = from;
      this.ranges[values * 2 + 1] = at;
      values += 1;
      from = at + 1;
    }
    let flags = hashKeyBytes(bytes, this.ranges, values, false);
    if (flags === KEY_TEXT) flags = hashKeyValues(bytes.toString('utf8', start, end).split('\0'));
    if ((flags & KEY_BLANK) !== 0) this.blank = true;
    if (index * 2 + 2 > this.hashes.length) this.hashes = grow(this.hashes);
    this.hashes[index * 2] = lastKeyHash[0] as number;
    this.hashes[index * 2 + 1] = lastKeyHash[1] as number;
  }
}

function grow<T extends Int32Array | Uint32Array>(array: T): T {
  const bigger = new (array.constructor as new (n: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * Every row of the data now against the previous version; the source was scanned in rows mode. A send: changes
 * or prune import's scan left repeated keys to this diff (it compares every key, across files too): they are
 * added to their files' scans as errors, so they are shown, make the import invalid and are cached, as the
 * scan's own would be. Blank keys the scan reports itself.
 */
export function diffRows(def: ImportDefinition, source: ResolvedSource, previous: PreviousRows): RecordRows {
  const differ: RowDiffer = previous.uniqueKeys
    ? new RowMerge(previous.keys, previous.hashes)
    : new RowIndex(previous.keys, previous.hashes);
  const send = new Map<string, Uint8Array>();
  const repeats = new Map<ResolvedFile, number[]>();
  let deltaBytes = 0;
  const later: Array<[ResolvedFile, number]> = [];
  const settle = (file: ResolvedFile, i: number, verdict: RowVerdict | 'blank') => {
    const rows = file.rowHashes as RowHashes;
    if (verdict === 'duplicate') {
      const lines = repeats.get(file) ?? [];
      lines.push(rows.lines[i] as number);
      repeats.set(file, lines);
    } else if (verdict !== 'unchanged' && verdict !== 'blank') {
      (send.get(file.path) as Uint8Array)[i] = 1;
      deltaBytes += rows.sent[i] as number;
    }
  };
  for (const file of source.files) {
    const rows = file.rowHashes;
    if (!rows) continue;
    send.set(file.path, new Uint8Array(rows.count));
    differ.visitAll(rows, KEY_BLANK, (i, verdict) => {
      if (verdict === 'pending') later.push([file, i]);
      else settle(file, i, verdict);
    });
  }
  differ.settle().forEach((verdict, n) => {
    settle(...(later[n] as [ResolvedFile, number]), verdict);
  });
  const header = source.header ?? [];
  const headerChanged =
    header.length !== previous.header.length || header.some((c, i) => c !== previous.header[i]);
  if (def.send === 'changes' || def.prune)
    for (const [file, lines] of repeats) addRepeats(def, file, source, lines);
  return {
    counts: { ...differ.counts },
    previousRows: previous.count,
    headerChanged,
    previous,
    send,
    deltaBytes,
    removed: differ.removedRows(),
  };
}

/** How a resolved file is read again row by row: a delta, a snapshot, the version at a ref. */
export function rowScanOptions(
  def: ImportDefinition,
  file: Pick<ResolvedFile, 'path' | 'format' | 'delimiter' | 'encoding'> & {
    displayPath?: string | undefined;
  },
): ScanOptions {
  return {
    displayPath: file.displayPath ?? file.path,
    format: file.format,
    delimiter: file.delimiter,
    delimiterDeclared: true,
    encoding: file.encoding,
    keyFields: def.keyFields,
    strictKeys: false,
    importName: def.name,
    rows: true,
    // no key table: a pass that hands rows on reports no repeats (the plan did; a snapshot checks its own)
    uniqueKeys: true,
  };
}

/** The files are the snapshot's (or untouched since the ref): every row is as it was, nothing to diff. */
export function unchangedRows(source: ResolvedSource): RowDiff {
  const counts = { added: 0, changed: 0, removed: 0, unchanged: source.rows };
  return { counts, previousRows: source.rows, headerChanged: false };
}

/** The import's rows at the ref: each file its definition then matched, read from git and scanned as now. */
export async function refRows(view: RefView, def: ImportDefinition): Promise<PreviousRows> {
  const before = view.old.get(def.name) ?? def;
  const keys: number[] = [];
  const hashes: number[] = [];
  const texts: string[] = [];
  let header: string[] | undefined;
  const dir = await mkdtemp(join(tmpdir(), 'copernica-sync-ref-'));
  try {
    for (const [n, path] of filesThen(view, def.name).entries()) {
      const temp = join(dir, String(n));
      await writeFile(temp, await showAtRef(view, path));
      const file = {
        path,
        format: inferFormat(path, before.format) ?? 'csv',
        delimiter: inferDelimiter(path, before.delimiter),
        encoding: before.encoding,
      };
      let scan: FileScan | undefined;
      for await (const done of eachChunk(temp, rowScanOptions(def, file), (row) => {
        const values = row.keyValues();
        if (isBlankKey(values)) return; // as a snapshot: a row without a key is never diffed or pruned
        keys.push(row.keyHi, row.keyLo);
        hashes.push(row.rowHi, row.rowLo);
        texts.push(values.join('\0'));
      }))
        scan = done ?? scan;
      header ??= scan?.header;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    count: texts.length,
    keys: Uint32Array.from(keys),
    hashes: Uint32Array.from(hashes),
    header: header ?? [],
    uniqueKeys: false,
    keyTexts: async (indexes) => indexes.map((index) => texts[index] ?? ''),
  };
}

/** The repeated keys of a file, as the scan reports its own: the first few by line, then how many. */
function addRepeats(
  def: ImportDefinition,
  file: ResolvedFile,
  source: ResolvedSource,
  lines: number[],
): void {
  const keys = def.keyFields.join(', ');
  const collector = new ProblemCollector(
    'error',
    'E_SOURCE_DUPLICATE_KEY',
    (n) => `${n} records repeat the key of another record (${keys})`,
  );
  const hint =
    'send: changes and prune compare rows by key: make every key unique (letter case and spaces around it do not count)';
  for (const line of lines.sort((a, b) => a - b)) {
    collector.add(line, 1, () => `the key (${keys}) on line ${line} is another record's too`, hint);
  }
  const target = { displayPath: file.displayPath ?? file.path, importName: def.name };
  const found = collector.toDiagnostics(target);
  file.duplicateKeys += lines.length;
  file.diagnostics.push(...found);
  source.diagnostics.push(...found);
}
