// Row snapshots: written atomically, read back as a stream (keys split across gzip's chunks put together),
// keys found again by index, and a damaged file an error that says what to do.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CopernicaSyncError } from '../../src/core/errors.js';
import { loadSnapshotRows } from '../../src/run/rows.js';
import {
  createSnapshotWriter,
  readSnapshot,
  readSnapshotKeys,
  removeStaleSnapshotTemps,
  snapshotPath,
} from '../../src/state/row-snapshot.js';

const dir = mkdtempSync(join(tmpdir(), 'row-snapshot-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** 50,000 keys (a few long enough to span gzip's output chunks), with their hashes. */
const KEYS = Array.from({ length: 50_000 }, (_, i) =>
  i % 10_000 === 7 ? `long${'é'.repeat(40_000)}${i}` : `user${i}@example.com\0Ünïcode ${i}`,
);
const meta = {
  keyFields: ['Email', 'Name'],
  header: ['Email', 'Name'],
  files: [{ path: 'a.csv', hash: 'h' }],
};

async function write(path: string, keys: readonly string[], extra = {}): Promise<void> {
  const writer = await createSnapshotWriter(path, { ...meta, ...extra });
  keys.forEach((key, i) => {
    writer.add(key, i, 0xffffffff - i);
  });
  await writer.drained();
  await writer.commit();
}

describe('row snapshots', () => {
  it('reads back every key in order, with its row hash and the meta', async () => {
    const path = snapshotPath(join(dir, 'a', 'state.json'), 'people');
    await write(path, KEYS, { pending: 2, pruneToken: 'tok' });
    const seen: string[] = [];
    const snapshot = await readSnapshot(path, (bytes, start, end, index) => {
      assert.equal(index, seen.length);
      seen.push(bytes.toString('utf8', start, end));
    });
    assert.deepEqual(seen, KEYS);
    assert.equal(snapshot?.meta.rows, KEYS.length);
    assert.equal(snapshot?.meta.pending, 2);
    assert.equal(snapshot?.meta.pruneToken, 'tok');
    assert.deepEqual([...(snapshot?.rowHash.subarray(0, 4) ?? [])], [0, 0xffffffff, 1, 0xfffffffe]);
    assert.equal(snapshot?.rowHash[2 * 49_999], 49_999);
    assert.deepEqual(readdirSync(join(dir, 'a', 'rows')), ['people.rows.gz'], 'no temp file left');
  });

  it('loads keys as the diff hashes them, and a snapshot that kept a blank key as none at all', async () => {
    const statePath = join(dir, 'blank', 'state.json');
    const def = { name: 'people', keyFields: ['Email', 'Name'] };
    await write(snapshotPath(statePath, 'people'), ['a@x.nl\0Ann', 'b@x.nl\0Bob']);
    const rows = await loadSnapshotRows(statePath, undefined, def);
    assert.equal(rows?.count, 2);
    assert.notDeepEqual([...(rows?.keys.subarray(0, 2) ?? [])], [...(rows?.keys.subarray(2, 4) ?? [])]);
    // an older build wrote rows without a key: a prune would have deleted the empty key
    await write(snapshotPath(statePath, 'people'), ['a@x.nl\0Ann', ' \0\t', 'b@x.nl\0Bob']);
    assert.equal(await loadSnapshotRows(statePath, undefined, def), undefined);
  });

  it('finds keys again by index, in the order asked', async () => {
    const path = snapshotPath(join(dir, 'b', 'state.json'), 'people');
    await write(path, KEYS);
    assert.deepEqual(await readSnapshotKeys(path, [49_999, 0, 10_007]), [
      KEYS[49_999],
      KEYS[0],
      KEYS[10_007],
    ]);
  });

  it('is undefined before the first one, and a damaged one is E_STATE_CORRUPT with a way out', async () => {
    assert.equal(await readSnapshot(join(dir, 'none.rows.gz')), undefined);
    const path = snapshotPath(join(dir, 'c', 'state.json'), 'people');
    await write(path, KEYS.slice(0, 100));
    const whole = readFileSync(path);
    const damaged = [
      whole.subarray(0, whole.length - 20), // cut short
      gzipSync(Buffer.from('not a snapshot')),
      gzipSync(Buffer.concat([Buffer.from([6]), Buffer.from('abcde'), Buffer.of(0), Buffer.alloc(8)])), // no meta
    ];
    for (const bytes of damaged) {
      writeFileSync(path, bytes);
      await assert.rejects(readSnapshot(path), (error: unknown) => {
        assert.ok(error instanceof CopernicaSyncError);
        assert.equal(error.code, 'E_STATE_CORRUPT');
        assert.match(error.hint ?? '', /delete it/);
        return true;
      });
    }
  });

  it('an aborted write leaves the old snapshot, and stale temp files are removed', async () => {
    const state = join(dir, 'd', 'state.json');
    const path = snapshotPath(state, 'people');
    await write(path, ['kept']);
    const writer = await createSnapshotWriter(path, meta);
    writer.add('lost', 1, 2);
    await writer.abort();
    const keys: string[] = [];
    await readSnapshot(path, (b, s, e) => keys.push(b.toString('utf8', s, e)));
    assert.deepEqual(keys, ['kept']);
    writeFileSync(`${path}.123.abcdef.tmp`, 'half');
    await removeStaleSnapshotTemps(state);
    assert.deepEqual(readdirSync(join(dir, 'd', 'rows')), ['people.rows.gz']);
  });
});
