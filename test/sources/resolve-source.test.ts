// resolveSources: globs → files → scans; the hash cache (with the racy-timestamp case), shared headers, formats.
import assert from 'node:assert/strict';
import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createFileTasks } from '../../src/sources/file-tasks.js';
import { resolveSource, resolveSources, toHashCacheEntries } from '../../src/sources/resolve-source.js';
import type { HashCacheEntry } from '../../src/state/types.js';
import { createFixtureDir } from '../helpers/cli.js';
import { createDefinition, summarize } from './scan-helpers.js';

const HEADER = 'Email,Name\n';
const fixture = createFixtureDir({
  'data/a.csv': `${HEADER}a@x.nl,A\nb@x.nl,B\n`,
  'data/b.csv': `\uFEFF${HEADER}c@x.nl,C\n`,
  'other/c.csv': 'Email;Name\nd@x.nl;D\n',
  'mixed/a.csv': `${HEADER}a@x.nl,A\n`,
  'mixed/b.csv': 'Email,Nom\nb@x.nl,B\n',
  'formats/a.csv': `${HEADER}a@x.nl,A\n`,
  'formats/b.jsonl': '{"Email":"b@x.nl","Name":"B"}\n',
  'odd/data.xlsx': 'binary',
  'json/list.json': '[{"Email":"a@x.nl","Name":"A"}]',
});
after(() => fixture.cleanup());

function context(cache: Record<string, HashCacheEntry> = {}) {
  return { configDir: fixture.dir, displayDir: fixture.dir, cache, nowMs: Date.now(), allowOutside: false };
}

describe('resolveSources', () => {
  it('joins the files of an import: sorted, totals, one header, BOM stripped', async () => {
    const source = await resolveSource(createDefinition(), context());
    assert.deepEqual(
      source.files.map((f) => [f.path, f.rows, f.cached]),
      [
        ['data/a.csv', 2, false],
        ['data/b.csv', 1, false],
      ],
    );
    assert.deepEqual(
      [source.kind, source.rows, source.format, source.header],
      ['files', 3, 'csv', ['Email', 'Name']],
    );
    assert.deepEqual(source.diagnostics, []);
  });

  it('reuses cached scans when (size, mtime, inode) match and the mtime is safely older', async () => {
    const first = await resolveSource(createDefinition(), context());
    const aPath = join(fixture.dir, 'data/a.csv');
    const old = new Date(Date.now() - 60_000);
    utimesSync(aPath, old, old);
    utimesSync(join(fixture.dir, 'data/b.csv'), old, old);
    const refreshed = await resolveSource(createDefinition(), context());
    const cache = toHashCacheEntries([refreshed], Date.now());
    assert.equal(Object.keys(cache).length, 2);
    const warm = await resolveSource(createDefinition(), context(cache));
    assert.deepEqual(
      warm.files.map((f) => [f.path, f.cached]),
      [
        ['data/a.csv', true],
        ['data/b.csv', true],
      ],
    );
    assert.equal(warm.files[0]?.hash, first.files[0]?.hash);
    assert.equal(warm.rows, 3);
    assert.deepEqual(
      warm.files.map((f) => [f.sentBytes, f.headerBytes]),
      first.files.map((f) => [f.sentBytes, f.headerBytes]),
      'a cached scan keeps the escaped lengths',
    );
    const again = toHashCacheEntries([warm], Date.now() + 5000);
    assert.deepEqual(again[aPath], cache[aPath], 'a cached entry is stored unchanged');
  });

  it('re-hashes when the mtime is within 2 s of the cache write (racy timestamps) or the file changed', async () => {
    const aPath = join(fixture.dir, 'data/a.csv');
    const source = await resolveSource(createDefinition(), context());
    const mtimeMs = statSync(aPath).mtimeMs;
    const racy = toHashCacheEntries([source], mtimeMs + 1000);
    const racyRun = await resolveSource(createDefinition(), context(racy));
    assert.equal(racyRun.files[0]?.cached, false);
    const safe = toHashCacheEntries([source], mtimeMs + 5000);
    assert.equal((await resolveSource(createDefinition(), context(safe))).files[0]?.cached, true);
    const other = {
      ...safe,
      [aPath]: { ...(safe[aPath] as HashCacheEntry), stamp: { size: 1, mtimeMs, ino: 0 } },
    };
    assert.equal((await resolveSource(createDefinition(), context(other))).files[0]?.cached, false);
  });

  it('re-scans a cached file when the checks changed (other key fields, strict keys)', async () => {
    const source = await resolveSource(createDefinition(), context());
    const cache = toHashCacheEntries([source], Date.now() + 60_000);
    for (const def of [createDefinition({ keyFields: ['Name'] }), createDefinition({ action: 'delete' })]) {
      const run = await resolveSource(def, context(cache));
      assert.equal(run.files[0]?.cached, false);
    }
    assert.equal((await resolveSource(createDefinition(), context(cache))).files[0]?.cached, true);
  });

  it('re-scans a cache entry that lacks the escaped lengths (written before they were counted)', async () => {
    const source = await resolveSource(createDefinition(), context());
    const cache = toHashCacheEntries([source], Date.now() + 60_000);
    const aPath = join(fixture.dir, 'data/a.csv');
    const { sentBytes: _sent, ...older } = cache[aPath] as HashCacheEntry;
    const run = await resolveSource(
      createDefinition(),
      context({ ...cache, [aPath]: older as HashCacheEntry }),
    );
    // 29 bytes and 3 LFs escaped to \n; 20 bytes after the BOM and 2 LFs
    assert.deepEqual(
      run.files.map((f) => [f.path, f.cached, f.sentBytes]),
      [
        ['data/a.csv', false, 32],
        ['data/b.csv', true, 22],
      ],
    );
  });

  it('E_SOURCE_HEADER_MISMATCH names the first file whose header differs', async () => {
    const source = await resolveSource(
      createDefinition({ source: { kind: 'files', globs: ['mixed/*.csv'] } }),
      context(),
    );
    assert.deepEqual(summarize(source.diagnostics), ['1:1 error E_SOURCE_HEADER_MISMATCH']);
    assert.equal(source.diagnostics[0]?.position?.file, 'mixed/b.csv');
    assert.equal(source.header, undefined);
  });

  it('E_SOURCE_HEADER_MISMATCH when the files of one import have different formats', async () => {
    const def = createDefinition({ source: { kind: 'files', globs: ['formats/*'] } });
    const source = await resolveSource(def, context());
    assert.deepEqual(summarize(source.diagnostics), ['1:1 error E_SOURCE_HEADER_MISMATCH']);
  });

  it('infers the format from the extension, E_SOURCE_FORMAT when it cannot', async () => {
    const json = await resolveSource(
      createDefinition({ source: { kind: 'files', globs: ['json/*'] } }),
      context(),
    );
    assert.deepEqual([json.format, json.rows, json.diagnostics], ['json', 1, []]);
    const odd = await resolveSource(
      createDefinition({ source: { kind: 'files', globs: ['odd/*'] } }),
      context(),
    );
    assert.deepEqual(
      odd.diagnostics.map((d) => d.code),
      ['E_SOURCE_FORMAT'],
    );
  });

  it('uses the declared delimiter', async () => {
    const def = createDefinition({ delimiter: ';', source: { kind: 'files', globs: ['other/*.csv'] } });
    const source = await resolveSource(def, context());
    assert.deepEqual([source.rows, source.delimiter, source.diagnostics], [1, ';', []]);
  });

  it('E_SOURCE_DELIMITER for a ";" file read without a declared delimiter, even by an add import without keys', async () => {
    const globs = { source: { kind: 'files' as const, globs: ['other/*.csv'] } };
    const add = await resolveSource(createDefinition({ ...globs, action: 'add', keyFields: [] }), context());
    assert.deepEqual(summarize(add.diagnostics), ['1:1 error E_SOURCE_DELIMITER']);
    const keyed = await resolveSource(createDefinition(globs), context());
    assert.deepEqual(
      keyed.diagnostics.map((d) => [d.code, d.hint?.includes('delimiter: ";"')]),
      [
        ['E_SOURCE_DELIMITER', true],
        ['E_SOURCE_KEY_MISSING', true],
      ],
    );
  });

  it('a location source reads nothing', async () => {
    const def = createDefinition({ source: { kind: 'location', url: 'https://example.com/feed.csv' } });
    const source = await resolveSource(def, context());
    assert.deepEqual([source.kind, source.files, source.rows, source.header], ['location', [], 0, undefined]);
  });

  it('resolves many imports at once, on worker threads when asked, with the same results', async () => {
    const defs = [
      createDefinition(),
      createDefinition({ name: 'json', source: { kind: 'files', globs: ['json/*'] } }),
    ];
    const inline = await resolveSources(defs, { ...context(), workers: 0 });
    const pooled = await resolveSources(defs, { ...context(), workers: 2 });
    assert.deepEqual([...pooled.keys()], ['newsletter', 'json']);
    assert.deepEqual(
      [...pooled.values()].map((s) => s.files.map((f) => f.hash)),
      [...inline.values()].map((s) => s.files.map((f) => f.hash)),
    );
  });

  it('E_SOURCE_READ for a file that cannot be read', async () => {
    const { tasks, diagnostics } = await createFileTasks(createDefinition(), ['data/missing.csv'], context());
    assert.deepEqual(tasks, []);
    assert.deepEqual(summarize(diagnostics), ['1:1 error E_SOURCE_READ']);
  });
});
