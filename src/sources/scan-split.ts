// One big CSV read in rows mode is the plan's longest wait (DESIGN.md section 9): its two halves are scanned at
// once on two workers, split after a line end. The first half hashes the whole file; the second starts fresh
// after reading the header line. When the second half cannot stand alone (a quoted field across the split, or a
// problem past the split, which it would place on the wrong line) the file is scanned again in one pass: the
// result is always the one-pass scan's.
import { closeSync, openSync, readSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { RowHashes } from './row-types.js';
import type { HalfScan, ScanOptions } from './scan-file.js';
import type { FileScanner } from './scan-pool.js';
import type { FileScan } from './types.js';

/** Below this a file is scanned in one pass: a second worker would cost about what it saves. */
export const SPLIT_BYTES = 64 * 1024 * 1024;
/** Where the halves meet: the first half also hashes the second's bytes, so it takes a little less. */
const SPLIT_AT = 0.45;
/** How far past the split a line end is looked for. */
const SEARCH_BYTES = 64 * 1024;

/** Split: a big CSV read in rows mode whose repeated keys the row diff finds (no key table for one half). */
export function splits(options: ScanOptions, size: number): boolean {
  return (
    size >= SPLIT_BYTES &&
    options.format === 'csv' &&
    options.encoding !== 'utf-16le' &&
    options.rows === true &&
    options.uniqueKeys === true
  );
}

export async function scanSplit(
  scanner: FileScanner,
  absPath: string,
  options: ScanOptions,
  size: number,
): Promise<FileScan> {
  const at = splitPoint(absPath, size);
  if (at === undefined) return scanner.scan(absPath, options);
  const [first, second] = await Promise.all([
    scanner.scanHalf(absPath, options, { half: 'first', at }),
    scanner.scanHalf(absPath, options, { half: 'second', at }),
  ]);
  if (!first || !second || !joinable(first, second)) return scanner.scan(absPath, options);
  return joinHalves(first, second);
}

/** Just past the first line end after SPLIT_AT of the file, or undefined when none is near. */
function splitPoint(absPath: string, size: number): number | undefined {
  const fd = openSync(absPath, 'r');
  try {
    const bytes = Buffer.alloc(SEARCH_BYTES);
    const middle = Math.floor(size * SPLIT_AT);
    const lf = bytes.subarray(0, readSync(fd, bytes, 0, SEARCH_BYTES, middle)).indexOf(10);
    return lf < 0 ? undefined : middle + lf + 1;
  } finally {
    closeSync(fd);
  }
}

/**
 * The second half stands alone: a record starts at the split, it read the same header, the first half has rows
 * (no "no data rows" of its own), and nothing past the header was wrong.
 */
export function joinable(first: HalfScan, second: HalfScan): boolean {
  return (
    first.clean &&
    second.clean &&
    first.scan.rows > 0 &&
    isDeepStrictEqual(first.scan.header, second.scan.header) &&
    first.scan.rowHashes !== undefined &&
    second.scan.rowHashes !== undefined &&
    second.scan.diagnostics.every((d) => d.position?.line === 1)
  );
}

/** The one-pass scan from its halves: the first half's hash, header and problems, the rows of both. */
export function joinHalves(first: HalfScan, second: HalfScan): FileScan {
  const a = first.scan;
  const b = second.scan;
  return {
    ...a,
    rows: a.rows + b.rows,
    sentBytes: a.sentBytes + b.sentBytes - second.header,
    blankKeys: a.blankKeys + b.blankKeys,
    duplicateKeys: a.duplicateKeys + b.duplicateKeys,
    truncated: b.truncated,
    // the second half counted its lines from its header record; its first record is on first.line
    rowHashes: appendRows(a.rowHashes as RowHashes, b.rowHashes as RowHashes, first.line - second.line),
  };
}

/** `b` after `a`, in the room `a`'s arrays were made with when it suffices (no second copy of `a`). */
function appendRows(a: RowHashes, b: RowHashes, lineOffset: number): RowHashes {
  const count = a.count + b.count;
  const fits = count <= a.lines.buffer.byteLength / 4;
  const room = <T extends Uint32Array | Uint8Array>(part: T, per: number): T => {
    if (fits) {
      const View = part.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => T;
      return new View(part.buffer, part.byteOffset, count * per);
    }
    const Fresh = part.constructor as new (length: number) => T;
    const whole = new Fresh(count * per);
    whole.set(part);
    return whole;
  };
  const joined: RowHashes = {
    count,
    keys: room(a.keys, 2),
    hashes: room(a.hashes, 2),
    sent: room(a.sent, 1),
    lines: room(a.lines, 1),
    states: room(a.states, 1),
  };
  joined.keys.set(b.keys, a.count * 2);
  joined.hashes.set(b.hashes, a.count * 2);
  joined.sent.set(b.sent, a.count);
  joined.states.set(b.states, a.count);
  for (let i = 0; i < b.count; i += 1) joined.lines[a.count + i] = (b.lines[i] as number) + lineOffset;
  return joined;
}
