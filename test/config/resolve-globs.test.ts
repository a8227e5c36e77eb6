// resolveGlobs lives in src/sources but belongs to config checking; its tests sit with the other config tests.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isOutsidePattern, resolveGlobs } from '../../src/sources/resolve-globs.js';
import { createFixtureDir } from '../helpers/cli.js';

const at = (line: number) => ({ file: 'imports.yaml', line, column: 13 });

describe('resolveGlobs', () => {
  const outer = createFixtureDir({
    'outside/secret.csv': 'Email\nx@example.com\n',
    'project/data/b.csv': 'Email\n',
    'project/data/a.csv': 'Email\n',
    'project/data/B2.csv': 'Email\n',
    'project/data/old.csv': 'Email\n',
    'project/data/.hidden.csv': 'Email\n',
    'project/data/sub/c.csv': 'Email\n',
    'project/other/x.json': '[]\n',
  });
  after(outer.cleanup);
  const dir = join(outer.dir, 'project');
  symlinkSync(join(outer.dir, 'outside', 'secret.csv'), join(dir, 'data', 'link.csv'));
  mkdirSync(join(dir, 'linked'));
  symlinkSync(join(outer.dir, 'outside'), join(dir, 'linked', 'dir'));
  writeFileSync(join(dir, 'inner-target.csv'), 'Email\n');
  symlinkSync(join(dir, 'inner-target.csv'), join(dir, 'other', 'inner-link.csv'));

  it('returns relative, sorted, unique files, honouring "!" exclusions and skipping dot files', async () => {
    const result = await resolveGlobs(
      dir,
      [
        { pattern: 'data/*.csv' },
        { pattern: 'data/**/*.csv' },
        { pattern: '!data/old.csv' },
        { pattern: '!data/link.csv' },
      ],
      { allowOutside: false },
    );
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.files, ['data/B2.csv', 'data/a.csv', 'data/b.csv', 'data/sub/c.csv']);
  });

  it('reports each positive pattern that matches nothing, at its position', async () => {
    const result = await resolveGlobs(
      dir,
      [
        { pattern: 'data/a.csv', position: at(5) },
        { pattern: 'nothing/*.csv', position: at(6) },
      ],
      { allowOutside: false, importName: 'contacts' },
    );
    assert.deepEqual(result.files, ['data/a.csv']);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.position?.line, d.importName]),
      [['E_SOURCE_NO_MATCH', 6, 'contacts']],
    );
  });

  it('refuses a symlinked file that resolves outside, unless allowOutside', async () => {
    const refused = await resolveGlobs(dir, [{ pattern: 'data/*.csv', position: at(4) }], {
      allowOutside: false,
    });
    assert.ok(!refused.files.includes('data/link.csv'));
    assert.deepEqual(
      refused.diagnostics.map((d) => [d.code, d.position?.line]),
      [['E_SOURCE_OUTSIDE', 4]],
    );
    assert.match(refused.diagnostics[0]?.hint ?? '', /--allow-outside/);
    const allowed = await resolveGlobs(dir, [{ pattern: 'data/*.csv' }], { allowOutside: true });
    assert.ok(allowed.files.includes('data/link.csv'));
    assert.deepEqual(allowed.diagnostics, []);
  });

  it('refuses files under a symlinked directory that points outside', async () => {
    const result = await resolveGlobs(dir, [{ pattern: 'linked/**/*.csv' }], { allowOutside: false });
    assert.deepEqual(result.files, []);
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      ['E_SOURCE_OUTSIDE'],
    );
  });

  it('accepts a symlink whose target stays inside', async () => {
    const result = await resolveGlobs(dir, [{ pattern: 'other/*.csv' }], { allowOutside: false });
    assert.deepEqual(result, { files: ['other/inner-link.csv'], diagnostics: [] });
  });

  it('refuses ".." and absolute patterns without globbing them; allows them with allowOutside', async () => {
    const absolute = join(outer.dir, 'outside', '*.csv');
    const refused = await resolveGlobs(dir, [{ pattern: '../outside/*.csv' }, { pattern: absolute }], {
      allowOutside: false,
    });
    assert.deepEqual(refused.files, []);
    assert.deepEqual(
      refused.diagnostics.map((d) => d.code),
      ['E_SOURCE_OUTSIDE', 'E_SOURCE_OUTSIDE'],
    );
    const allowed = await resolveGlobs(dir, [{ pattern: '../outside/*.csv' }, { pattern: absolute }], {
      allowOutside: true,
    });
    assert.deepEqual(allowed, { files: ['../outside/secret.csv'], diagnostics: [] });
  });

  it('treats glob characters as glob syntax, escaping nothing', async () => {
    const result = await resolveGlobs(dir, [{ pattern: 'data/{a,b}.csv' }, { pattern: 'data/[B]2.csv' }], {
      allowOutside: false,
    });
    assert.deepEqual(result.files, ['data/B2.csv', 'data/a.csv', 'data/b.csv']);
  });
});

describe('resolveGlobs on the glob walker', () => {
  const tree = createFixtureDir({
    'data/a.csv': 'Email\n',
    'data/.hidden.csv': 'Email\n',
    'other/deep/b.csv': 'Email\n',
    'loops/in.csv': 'Email\n',
  });
  after(tree.cleanup);
  symlinkSync('..', join(tree.dir, 'loops', 'up'));
  symlinkSync('stuck', join(tree.dir, 'loops', 'stuck'));

  it('takes braces holding a "/", and a dot file only where the dot is written', async () => {
    const result = await resolveGlobs(
      tree.dir,
      [{ pattern: '{data,other/deep}/*.csv' }, { pattern: 'data/.h*' }],
      {
        allowOutside: false,
      },
    );
    assert.deepEqual(result, {
      files: ['data/.hidden.csv', 'data/a.csv', 'other/deep/b.csv'],
      diagnostics: [],
    });
  });

  it('lists each file once through a symlink cycle', async () => {
    const result = await resolveGlobs(tree.dir, [{ pattern: 'loops/**/*.csv' }], { allowOutside: false });
    assert.deepEqual(result, {
      files: ['loops/in.csv', 'loops/up/data/a.csv', 'loops/up/other/deep/b.csv'],
      diagnostics: [],
    });
  });

  it('reports a directory it cannot read as E_SOURCE_READ at the glob (fast-glob threw), unless excluded', async () => {
    const globs = [{ pattern: 'loops/stuck/*.csv', position: at(7) }];
    const result = await resolveGlobs(tree.dir, globs, { allowOutside: false, importName: 'contacts' });
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.position?.line, d.importName, d.message]),
      [
        ['E_SOURCE_READ', 7, 'contacts', "source 'loops/stuck/*.csv': cannot read 'loops/stuck' (ELOOP)"],
        [
          'E_SOURCE_NO_MATCH',
          7,
          'contacts',
          "source 'loops/stuck/*.csv' of import 'contacts' matches no file",
        ],
      ],
    );
    const excluded = await resolveGlobs(tree.dir, [...globs, { pattern: '!loops/stuck/**' }], {
      allowOutside: false,
    });
    assert.deepEqual(
      excluded.diagnostics.map((d) => d.code),
      ['E_SOURCE_NO_MATCH'],
    );
  });
});

describe('isOutsidePattern', () => {
  const cases: Array<[string, boolean]> = [
    ['data/*.csv', false],
    ['./data/*.csv', false],
    ['data/../data/*.csv', false],
    ['../x.csv', true],
    ['data/../../x.csv', true],
    ['..', true],
    ['/etc/passwd', true],
    ['C:\\data\\x.csv', true],
    ['**/*.csv', false],
  ];
  for (const [pattern, outside] of cases) {
    it(`${pattern} → ${outside ? 'outside' : 'inside'}`, () =>
      assert.equal(isOutsidePattern(pattern), outside));
  }
});
