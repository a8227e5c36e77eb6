// matchGlobs' stamps and createFileTasks' paths: one stat per file, and the same paths resolve()/relative() give.
import assert from 'node:assert/strict';
import { mkdirSync, statSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { createFileTasks, createTask, toDisplayPath } from '../../src/sources/file-tasks.js';
import { matchGlobs, resolveGlobs } from '../../src/sources/resolve-globs.js';
import { createScanKey } from '../../src/sources/scan-file.js';
import { createFixtureDir } from '../helpers/cli.js';
import { createDefinition } from './scan-helpers.js';

const fixture = createFixtureDir({
  'project/data/a.csv': 'Email\na@x.nl\n',
  'project/data/sub/b.csv': 'Email\nb@x.nl\nc@x.nl\n',
  'project/real/c.csv': 'Email\n',
  'project/target.csv': 'Email\nd@x.nl\n',
  'elsewhere/d.csv': 'Email\n',
});
after(() => fixture.cleanup());
const project = join(fixture.dir, 'project');
symlinkSync(join(project, 'target.csv'), join(project, 'data', 'link.csv'));
mkdirSync(join(project, 'alias'));
symlinkSync(join(project, 'real'), join(project, 'alias', 'dir'));

const stampOf = (file: string) => {
  const info = statSync(file);
  return { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino };
};

describe('matchGlobs', () => {
  it("gives each file's stat (a symlink's target's), and the same files as resolveGlobs", async () => {
    const globs = [{ pattern: 'data/**/*.csv' }, { pattern: 'alias/**/*.csv' }];
    const matched = await matchGlobs(project, globs, { allowOutside: false });
    const expected = ['alias/dir/c.csv', 'data/a.csv', 'data/link.csv', 'data/sub/b.csv'];
    assert.deepEqual(matched.files, expected);
    assert.deepEqual(matched.diagnostics, []);
    assert.deepEqual((await resolveGlobs(project, globs, { allowOutside: false })).files, expected);
    for (const file of expected)
      assert.deepEqual(matched.stamps.get(file), stampOf(join(project, file)), file);
    assert.equal(matched.stamps.get('data/link.csv')?.ino, stampOf(join(project, 'target.csv')).ino);
  });

  it('keeps files reached through "..", with their stamps, only with allowOutside', async () => {
    const globs = [{ pattern: '../elsewhere/*.csv' }];
    const allowed = await matchGlobs(project, globs, { allowOutside: true });
    assert.deepEqual(allowed.files, ['../elsewhere/d.csv']);
    assert.deepEqual(allowed.stamps.get('../elsewhere/d.csv'), stampOf(join(fixture.dir, 'elsewhere/d.csv')));
    const refused = await matchGlobs(project, globs, { allowOutside: false });
    assert.deepEqual(refused.files, []);
    assert.deepEqual(
      refused.diagnostics.map((d) => d.code),
      ['E_SOURCE_OUTSIDE'],
    );
  });
});

describe('createFileTasks', () => {
  const paths = ['data/a.csv', 'data/sub/b.csv', '../elsewhere/d.csv'];
  const context = (displayDir: string) => ({ configDir: project, displayDir, cache: {} });

  for (const [label, displayDir] of [
    ['the config directory', project],
    ['a parent directory', fixture.dir],
    ['a sibling directory', join(fixture.dir, 'elsewhere')],
    ['a subdirectory', join(project, 'data')],
  ] as const) {
    it(`names files as resolve() and relative() would, seen from ${label}`, async () => {
      const { tasks, diagnostics } = await createFileTasks(createDefinition(), paths, context(displayDir));
      assert.deepEqual(diagnostics, []);
      assert.deepEqual(
        tasks.map((t) => [t.absPath, t.options.displayPath]),
        paths.map((p) => [resolve(project, p), toDisplayPath(displayDir, resolve(project, p))]),
      );
      assert.equal(relative(displayDir, tasks[0]?.absPath ?? ''), tasks[0]?.options.displayPath);
    });
  }

  it('uses the given stamps instead of stat-ing, and stats the files that have none', async () => {
    const given = { size: 1, mtimeMs: 2, ino: 3 };
    const { tasks } = await createFileTasks(
      createDefinition(),
      ['data/a.csv', 'data/sub/b.csv'],
      context(project),
      new Map([['data/a.csv', given]]),
    );
    assert.deepEqual(
      tasks.map((t) => t.stamp),
      [given, stampOf(join(project, 'data/sub/b.csv'))],
    );
  });

  it('reports a file that vanished since the glob as unreadable', async () => {
    const { tasks, diagnostics } = await createFileTasks(
      createDefinition(),
      ['data/gone.csv'],
      context(project),
    );
    assert.deepEqual(tasks, []);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.message]),
      [['E_SOURCE_READ', 'cannot read data/gone.csv (ENOENT)']],
    );
  });
});

describe('createTask: scan options', () => {
  const file = (path: string) => ({
    path,
    absPath: join(project, path),
    displayPath: path,
    format: 'csv' as const,
    stamp: { size: 1, mtimeMs: 2, ino: 3 },
  });
  const optionsOf = (overrides: Parameters<typeof createDefinition>[0], path = 'data/a.csv') =>
    createTask(createDefinition(overrides), file(path)).options;

  it('is strict about keys when the import deletes: action delete, removeMissing', () => {
    assert.equal(optionsOf({}).strictKeys, false);
    assert.equal(optionsOf({ action: 'delete' }).strictKeys, true);
    assert.equal(optionsOf({ removeMissing: true }).strictKeys, true);
  });

  it('takes the delimiter as declared when the import names one or the file is .tsv', () => {
    assert.equal(optionsOf({}).delimiterDeclared, false);
    assert.equal(optionsOf({ delimiter: ',' }).delimiterDeclared, true);
    assert.equal(optionsOf({}, 'data/a.tsv').delimiterDeclared, true);
  });

  it('keeps strictKeys and the declared delimiter in the scan key, so a cached scan is redone when they change', () => {
    const keys = [optionsOf({}), optionsOf({ removeMissing: true }), optionsOf({ delimiter: ',' })].map(
      createScanKey,
    );
    assert.equal(new Set(keys).size, 3);
  });
});
