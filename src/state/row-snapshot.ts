// Row snapshots beside the state: every key an import sent, in full, with its row's hash; written atomically, only
// once the import finished. gzip over [keys, each prefixed by its length + 1][0][8-byte row hashes][JSON meta][its
// length]: the keys compress together, the hashes do not compress at all (~11 bytes a row for e-mail keys), the 0
// ends the keys so a reader streams them without holding the file, and the meta, known only at the end, closes it.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { CopernicaSyncError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { stateAccessError } from './access-error.js';
import { syncDirectory } from './state-store.js';

export const SNAPSHOT_VERSION = 1;
const BATCH_BYTES = 1 << 20;

export interface SnapshotMeta {
  version: typeof SNAPSHOT_VERSION;
  keyFields: string[];
  /** The columns the rows were sent with: another header means every row is sent again. */
  header: string[];
  rows: number;
  /** The files and their content hashes: when they are the same now, no row changed. */
  files: Array<{ path: string; hash: string }>;
  /**
   * The last `pending` rows are keys a prune is deleting (written before it is sent, so a crash cannot lose
   * them); they are gone once the state records that prune, `pruneToken`, as finished.
   */
  pending?: number;
  pruneToken?: string;
  /** No key repeats in the snapshot (checked as it was written): the next diff needs no index of them. */
  uniqueKeys?: boolean;
}

export interface RowSnapshot {
  meta: SnapshotMeta;
  /** Row i's hash: [2i] high, [2i + 1] low. */
  rowHash: Uint32Array;
}

/** One key as it streams by: its UTF-8 bytes (key fields joined by NUL) at bytes[start, end), valid during the call. */
export type OnSnapshotKey = (bytes: Buffer, start: number, end: number, index: number) => void;

/** Deletes the temp files a killed snapshot write left; call it only while holding the lock. */
export async function removeStaleSnapshotTemps(statePath: string): Promise<void> {
  const dir = join(dirname(statePath), 'rows');
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((name) => name.endsWith('.tmp'));
  await Promise.all(stale.map((name) => unlink(join(dir, name)).catch(() => undefined)));
}

/** `<state dir>/rows/<import>.rows.gz`. */
export function snapshotPath(statePath: string, importName: string): string {
  return join(dirname(statePath), 'rows', `${importName}.rows.gz`);
}

/** The keys at these row indexes, as text (a prune's keys, drift's examples): the file is read again. */
export async function readSnapshotKeys(path: string, indexes: readonly number[]): Promise<string[]> {
  const wanted = new Map(indexes.map((index, at) => [index, at]));
  const texts: string[] = new Array(indexes.length).fill('');
  await readSnapshot(path, (bytes, start, end, index) => {
    const at = wanted.get(index);
    if (at !== undefined) texts[at] = bytes.toString('utf8', start, end);
  });
  return texts;
}

/**
 * The snapshot, its keys handed to onKey as they stream out of gzip (the unpacked file is never held), or
 * undefined when there is none yet (a first run); an unreadable one is an error.
 */
export async function readSnapshot(
  path: string,
  onKey: OnSnapshotKey = () => {},
): Promise<RowSnapshot | undefined> {
  const parser = new SnapshotParser(onKey);
  try {
    const unzip = createGunzip({ chunkSize: 1 << 20 }); // 16 KiB chunks cost ~2x the JS time
    const read = pipeline(createReadStream(path), unzip);
    read.catch(() => {}); // a failed read also ends the loop below, which throws first; awaited after it
    for await (const chunk of unzip) parser.push(chunk as Buffer);
    await read;
    return parser.finish();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if ((error as NodeJS.ErrnoException).syscall !== undefined)
      throw stateAccessError('E_STATE_READ', 'cannot read the row snapshot', path, error);
    throw new CopernicaSyncError('E_STATE_CORRUPT', `the row snapshot ${path} is damaged`, {
      cause: error,
      exitCode: EXIT.failure,
      hint: `delete it: the next apply sends every row of that import again and writes a new one`,
    });
  }
}

/** The unpacked bytes, chunk by chunk: keys to onKey, hashes straight into their array, then the meta. */
class SnapshotParser {
  private phase: 'keys' | 'hashes' = 'keys';
  private count = 0;
  private varint = 0;
  private shift = 0;
  /** The key being read (-1: its length is), and the part of it a previous chunk held. */
  private keyLength = -1;
  private carry = Buffer.alloc(256);
  private carried = 0;
  private rowHash = new Uint32Array(0);
  private hashBytes = new Uint8Array(0);
  private hashFilled = 0;
  private readonly tail: Buffer[] = [];

  constructor(private readonly onKey: OnSnapshotKey) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (this.phase === 'keys' && at < chunk.length) {
      if (this.keyLength < 0) at = this.readLength(chunk, at);
      else at = this.readKey(chunk, at);
    }
    if (this.phase !== 'hashes' || at >= chunk.length) return;
    const take = Math.min(chunk.length - at, this.hashBytes.length - this.hashFilled);
    this.hashBytes.set(chunk.subarray(at, at + take), this.hashFilled);
    this.hashFilled += take;
    if (at + take < chunk.length) this.tail.push(Buffer.from(chunk.subarray(at + take)));
  }

  finish(): RowSnapshot {
    if (this.phase !== 'hashes' || this.hashFilled !== this.hashBytes.length)
      throw new Error('the file ends before its row hashes do');
    const tail = Buffer.concat(this.tail);
    if (tail.length < 4 || tail.readUInt32LE(tail.length - 4) !== tail.length - 4)
      throw new Error('the meta is not where its length says');
    const meta = JSON.parse(tail.toString('utf8', 0, tail.length - 4)) as SnapshotMeta;
    if (meta.version !== SNAPSHOT_VERSION) throw new Error(`snapshot version ${String(meta.version)}`);
    if (meta.rows !== this.count) throw new Error(`${this.count} keys, but the meta says ${meta.rows} rows`);
    if (endianness() === 'BE') Buffer.from(this.rowHash.buffer).swap32(); // written little-endian
    return { meta, rowHash: this.rowHash };
  }

  private readLength(chunk: Buffer, at: number): number {
    const byte = chunk[at] as number;
    if (this.shift === 0 && byte > 1 && byte < 0x80) {
      // a key shorter than 127 bytes: its length in one byte (most keys)
      this.keyLength = byte - 1;
      this.carried = 0;
      return at + 1;
    }
    this.varint += (byte & 0x7f) * 2 ** this.shift;
    this.shift += 7;
    if (byte >= 0x80) {
      if (this.shift > 28) throw new Error('a key length runs on');
      return at + 1;
    }
    const value = this.varint;
    this.varint = 0;
    this.shift = 0;
    if (value === 0) {
      // The end of the keys: now their count is known, and so the size of the hashes.
      this.phase = 'hashes';
      this.rowHash = new Uint32Array(this.count * 2);
      this.hashBytes = new Uint8Array(this.rowHash.buffer);
      return at + 1;
    }
    this.keyLength = value - 1;
    this.carried = 0;
    return at + 1;
  }

  private readKey(chunk: Buffer, at: number): number {
    const length = this.keyLength;
    if (this.carried === 0 && chunk.length - at >= length) {
      this.onKey(chunk, at, at + length, this.count++);
      this.keyLength = -1;
      return at + length;
    }
    // A key split across chunks is put together in `carry`.
    if (this.carry.length < length) this.carry = Buffer.alloc(length * 2);
    const take = Math.min(chunk.length - at, length - this.carried);
    chunk.copy(this.carry, this.carried, at, at + take);
    this.carried += take;
    if (this.carried === length) {
      this.onKey(this.carry, 0, length, this.count++);
      this.keyLength = -1;
      this.carried = 0;
    }
    return at + take;
  }
}

export interface SnapshotWriter {
  add(key: string, hashHi: number, hashLo: number): void;
  /** Resolves once gzip has taken what was added: a caller adding a file's rows waits here per chunk. */
  drained(): Promise<void>;
  /** Writes it in place atomically (temp file, fsync, rename), with what was learnt while adding. */
  commit(late?: Pick<SnapshotMeta, 'uniqueKeys'>): Promise<void>;
  /** Drops what was written (the import did not finish: the old snapshot stays). */
  abort(): Promise<void>;
}

/** Keys stream to a compressed temp file as they come; the 8-byte hashes wait in memory for the end. */
export async function createSnapshotWriter(
  path: string,
  meta: Omit<SnapshotMeta, 'version' | 'rows'>,
): Promise<SnapshotWriter> {
  await mkdir(dirname(path), { recursive: true }).catch((error: unknown) => {
    throw stateAccessError('E_STATE_WRITE', 'cannot write the row snapshot', path, error);
  });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
  // Keys are written into one batch buffer (no Buffer per key), handed to gzip whole, a fresh one each time.
  let batch = Buffer.allocUnsafe(BATCH_BYTES);
  let used = 0;
  const flush = () => {
    if (used > 0) gzip.write(batch.subarray(0, used));
    batch = Buffer.allocUnsafe(BATCH_BYTES);
    used = 0;
  };
  let hashes: Uint32Array = new Uint32Array(1024);
  let rows = 0;
  return {
    add(key, hashHi, hashLo) {
      const length = Buffer.byteLength(key, 'utf8');
      if (used + length + 5 > batch.length) {
        flush();
        if (length + 5 > batch.length) batch = Buffer.allocUnsafe(length + 5);
      }
      used = writeVarint(batch, used, length + 1); // length + 1: a 0 ends the keys
      used += batch.write(key, used, 'utf8');
      if (rows * 2 + 2 > hashes.length) hashes = grow(hashes);
      hashes[rows * 2] = hashHi;
      hashes[rows * 2 + 1] = hashLo;
      rows += 1;
    },
    async drained() {
      if (gzip.writableNeedDrain) await new Promise<void>((resolve) => gzip.once('drain', () => resolve()));
    },
    async commit(late = {}) {
      const tail = Buffer.allocUnsafe(rows * 8);
      for (let i = 0; i < rows * 2; i += 1) tail.writeUInt32LE(hashes[i] as number, i * 4);
      const metaText = Buffer.from(JSON.stringify({ version: SNAPSHOT_VERSION, ...meta, ...late, rows }));
      const metaLength = Buffer.allocUnsafe(4);
      metaLength.writeUInt32LE(metaText.length);
      flush();
      gzip.end(Buffer.concat([Buffer.of(0), tail, metaText, metaLength]));
      await written;
      const handle = await open(temp, 'r');
      await handle.sync().finally(() => handle.close());
      await rename(temp, path);
      await syncDirectory(dirname(path));
    },
    async abort() {
      gzip.destroy();
      await written.catch(() => undefined);
      await unlink(temp).catch(() => undefined);
    },
  };
}

/** Writes `value` as a varint at `at`; returns where it ends. */
function writeVarint(buffer: Buffer, at: number, value: number): number {
  let rest = value;
  let to = at;
  while (rest >= 0x80) {
    buffer[to++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  buffer[to++] = rest;
  return to;
}

function grow(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
