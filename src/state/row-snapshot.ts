// Row snapshots beside the state: every key an import sent, in full, with its row's hash; written atomically, only
// once the import finished. gzip over [keys, each length-prefixed][8-byte row hashes][JSON meta][its length]: the
// keys compress together, the hashes do not compress at all (~11 bytes a row for e-mail keys), and the meta, known
// only at the end of a stream, closes the file.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip, gunzip } from 'node:zlib';
import { CopernicaSyncError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { stateAccessError } from './access-error.js';

export const SNAPSHOT_VERSION = 1;

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
}

export interface RowSnapshot {
  meta: SnapshotMeta;
  /** The unpacked file: key i is the UTF-8 of keyBytes[starts[i], ends[i]) (key fields joined by NUL). */
  keyBytes: Buffer;
  starts: Uint32Array;
  ends: Uint32Array;
  /** Row i's hash: [2i] high, [2i + 1] low. */
  rowHash: Uint32Array;
}

/** `<state dir>/rows/<import>.rows.gz`. */
export function snapshotPath(statePath: string, importName: string): string {
  return join(dirname(statePath), 'rows', `${importName}.rows.gz`);
}

export function keyText(snapshot: RowSnapshot, index: number): string {
  return snapshot.keyBytes.toString('utf8', snapshot.starts[index], snapshot.ends[index]);
}

/** The snapshot, or undefined when there is none yet (a first run); an unreadable one is an error. */
export async function readSnapshot(path: string): Promise<RowSnapshot | undefined> {
  let packed: Buffer;
  try {
    packed = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw stateAccessError('E_STATE_READ', 'cannot read the row snapshot', path, error);
  }
  try {
    return parseSnapshot(await promisify(gunzip)(packed));
  } catch (cause) {
    throw new CopernicaSyncError('E_STATE_CORRUPT', `the row snapshot ${path} is damaged`, {
      cause,
      exitCode: EXIT.failure,
      hint: `delete it: the next apply sends every row of that import again and writes a new one`,
    });
  }
}

function parseSnapshot(raw: Buffer): RowSnapshot {
  const metaLength = raw.readUInt32LE(raw.length - 4);
  const metaStart = raw.length - 4 - metaLength;
  const meta = JSON.parse(raw.toString('utf8', metaStart, metaStart + metaLength)) as SnapshotMeta;
  if (meta.version !== SNAPSHOT_VERSION) throw new Error(`snapshot version ${String(meta.version)}`);
  const n = meta.rows;
  const hashStart = metaStart - n * 8;
  // Keys stay where they are in the unpacked buffer: no copy per key.
  const starts = new Uint32Array(n);
  const ends = new Uint32Array(n);
  let at = 0;
  for (let i = 0; i < n; i += 1) {
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = raw[at++] as number;
      length |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    starts[i] = at;
    at += length;
    ends[i] = at;
  }
  if (at !== hashStart) throw new Error('the key block does not end where the row hashes begin');
  const rowHash = new Uint32Array(n * 2);
  for (let i = 0; i < n * 2; i += 1) rowHash[i] = raw.readUInt32LE(hashStart + i * 4);
  return { meta, keyBytes: raw, starts, ends, rowHash };
}

export interface SnapshotWriter {
  add(key: string, hashHi: number, hashLo: number): void;
  /** Writes it in place atomically: temp file, fsync, rename. */
  commit(): Promise<void>;
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
  const keys: Buffer[] = [];
  let hashes: Uint32Array = new Uint32Array(1024);
  let rows = 0;
  return {
    add(key, hashHi, hashLo) {
      const bytes = Buffer.from(key, 'utf8');
      keys.push(varint(bytes.length), bytes);
      if (keys.length >= 4096) gzip.write(Buffer.concat(keys.splice(0)));
      if (rows * 2 + 2 > hashes.length) hashes = grow(hashes);
      hashes[rows * 2] = hashHi;
      hashes[rows * 2 + 1] = hashLo;
      rows += 1;
    },
    async commit() {
      const tail = Buffer.allocUnsafe(rows * 8);
      for (let i = 0; i < rows * 2; i += 1) tail.writeUInt32LE(hashes[i] as number, i * 4);
      const metaText = Buffer.from(JSON.stringify({ version: SNAPSHOT_VERSION, ...meta, rows }));
      const metaLength = Buffer.allocUnsafe(4);
      metaLength.writeUInt32LE(metaText.length);
      gzip.end(Buffer.concat([...keys, tail, metaText, metaLength]));
      await written;
      const handle = await open(temp, 'r');
      await handle.sync().finally(() => handle.close());
      await rename(temp, path);
    },
    async abort() {
      gzip.destroy();
      await written.catch(() => undefined);
      await unlink(temp).catch(() => undefined);
    },
  };
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function grow(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
