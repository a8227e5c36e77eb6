import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CopernicaSyncError } from '../../src/core/errors.js';
import { loadState, saveState, serializeState } from '../../src/state/state-store.js';
import { createStateWriter } from '../../src/state/state-writer.js';
import { createEmptyState, type StateEntry, type StateFile } from '../../src/state/types.js';

function entry(fingerprint: string): StateEntry {
  return {
    fingerprint,
    appliedAt: '2026-01-01T00:00:00.000Z',
    outcome: 'finished',
    rows: 3,
    files: [],
    header: ['Email'],
  };
}

function stateWith(...names: string[]): StateFile {
  return { ...createEmptyState(), imports: Object.fromEntries(names.map((n) => [n, entry(`fp-${n}`)])) };
}

const isCode = (code: string) => (error: unknown) =>
  error instanceof CopernicaSyncError && error.code === code;

describe('state store', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'copernica-sync-state-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a missing file as an empty state', async () => {
    assert.deepEqual(await loadState(join(dir, 'missing.json')), createEmptyState());
  });

  it('E_STATE_READ naming the path and the reason when the state path is a directory', async () => {
    await assert.rejects(loadState(dir), (error: unknown) => {
      assert.ok(isCode('E_STATE_READ')(error));
      assert.match((error as Error).message, /EISDIR/);
      assert.ok((error as Error).message.includes(dir));
      return true;
    });
  });

  it('E_STATE_WRITE, not a raw error, when the state directory cannot be created', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'x');
    await assert.rejects(
      saveState(join(blocker, 'sub', 'state.json'), createEmptyState()),
      (error: unknown) => {
        assert.ok(isCode('E_STATE_WRITE')(error));
        assert.match((error as Error).message, /cannot create the directory .*ENOTDIR/);
        return true;
      },
    );
  });

  it('round-trips a state, creating the directory, mode 0600, no temp file left', async () => {
    const path = join(dir, 'nested', 'deeper', 'state.json');
    const state = stateWith('b', 'a');
    await saveState(path, state);
    assert.deepEqual(await loadState(path), state);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(join(dir, 'nested', 'deeper')), ['state.json']);
  });

  it('serializes deterministically: sorted keys, 2-space indent', async () => {
    const a = stateWith('x', 'y');
    const b: StateFile = { hashCache: {}, imports: { y: entry('fp-y'), x: entry('fp-x') }, version: 1 };
    assert.equal(serializeState(a), serializeState(b));
    assert.match(serializeState(a), /^\{\n {2}"hashCache": \{\},\n {2}"imports": \{\n {4}"x"/);
  });

  it('refuses a corrupt file with E_STATE_CORRUPT and a recovery hint, leaving it untouched', async () => {
    const path = join(dir, 'corrupt.json');
    await writeFile(path, '{"version": 1, "imports": {');
    await assert.rejects(loadState(path), (error: unknown) => {
      assert.ok(isCode('E_STATE_CORRUPT')(error));
      assert.equal((error as CopernicaSyncError).exitCode, 1);
      assert.match((error as CopernicaSyncError).hint ?? '', /backup/);
      assert.match((error as CopernicaSyncError).hint ?? '', /apply --force/);
      assert.match((error as CopernicaSyncError).message, /is not valid JSON at line 1, column 28$/);
      return true;
    });
    assert.equal(await readFile(path, 'utf8'), '{"version": 1, "imports": {');
  });

  it('says where a hand edit broke the JSON', async () => {
    const path = join(dir, 'edited.json');
    await writeFile(path, '{\n  "version": 1,\n  imports: {}\n}\n');
    await assert.rejects(loadState(path), /is not valid JSON at line 3, column 3$/);
  });

  it('refuses JSON that is not a state object as corrupt', async () => {
    const path = join(dir, 'array.json');
    await writeFile(path, '[1, 2]');
    await assert.rejects(loadState(path), isCode('E_STATE_CORRUPT'));
    await writeFile(path, '{"version": 1, "imports": 7}');
    await assert.rejects(loadState(path), isCode('E_STATE_CORRUPT'));
  });

  it('refuses an unknown version with E_STATE_VERSION and a hint', async () => {
    const path = join(dir, 'future.json');
    await writeFile(path, '{"version": 2, "imports": {}, "hashCache": {}}');
    await assert.rejects(loadState(path), (error: unknown) => {
      assert.ok(isCode('E_STATE_VERSION')(error));
      assert.match((error as CopernicaSyncError).message, /version 2/);
      assert.ok((error as CopernicaSyncError).hint);
      return true;
    });
  });
});

describe('state writer', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'copernica-sync-writer-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('never loses an update when many finish concurrently', async () => {
    const path = join(dir, 'state.json');
    const writer = createStateWriter(path, createEmptyState());
    const names = Array.from({ length: 40 }, (_, i) => `import-${String(i).padStart(2, '0')}`);
    await Promise.all(
      names.map(async (name, i) => {
        await new Promise((resolve) => setImmediate(resolve, i % 3));
        await writer.update((s) => ({ ...s, imports: { ...s.imports, [name]: entry(name) } }));
        // Resolved means written: this update must already be on disk.
        assert.ok((await loadState(path)).imports[name], `${name} on disk when its save resolved`);
      }),
    );
    await writer.flush();
    assert.deepEqual(Object.keys((await loadState(path)).imports).sort(), names);
    assert.deepEqual(Object.keys(writer.current.imports).sort(), names);
    assert.deepEqual(await readdir(dir), ['state.json']);
  });

  it('writes a replaced state with save', async () => {
    const path = join(dir, 'saved.json');
    const writer = createStateWriter(path, createEmptyState());
    await Promise.all([writer.save(stateWith('a')), writer.save(stateWith('a', 'b'))]);
    assert.deepEqual(Object.keys((await loadState(path)).imports), ['a', 'b']);
  });

  it('reports a failed write to its caller and still writes later updates', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, 'x');
    const writer = createStateWriter(join(blocker, 'state.json'), createEmptyState());
    await assert.rejects(writer.update((s) => s));
    await assert.rejects(writer.update((s) => s));
  });
});
