// fast-glob 3.3.3's contract, through resolve-globs (which lists source files with it): a table of patterns
// and the files they match (dot files, braces, extglobs, literal paths, symlinks, "!" patterns), symlink
// cycles cut, and unreadable paths reported at the glob instead of thrown.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type ResolvedGlobs, resolveGlobs } from '../../src/sources/resolve-globs.js';
import { createFixtureDir } from '../helpers/cli.js';

const fixture = createFixtureDir(
  Object.fromEntries(
    [
      'data/a.csv',
      'data/b.csv',
      'data/B2.csv',
      'data/.hidden.csv',
      'data/[x].csv',
      'data/sub/c.csv',
      'data/sub/deep/d.csv',
      'data/.hid/e.csv',
      '.config/f.csv',
      'other/deep/g.csv',
      'other/h.csv',
      'other/x.json',
      'part-01/j.csv',
      'part-02/k.csv',
      'top.csv',
      'node_modules/pkg/n.csv',
    ].map((path) => [path, 'Email\n']),
  ),
);
after(fixture.cleanup);
const dir = fixture.dir;
mkdirSync(join(dir, 'links'));
symlinkSync('../data/a.csv', join(dir, 'links', 'alink.csv'));
symlinkSync('../data', join(dir, 'links', 'dlink'));
symlinkSync('nowhere.csv', join(dir, 'links', 'dangle.csv'));

/** One import's globs: the pattern, then its `!` patterns. */
function list(
  cwd: string,
  pattern: string,
  ignore: string[] = [],
  allowOutside = false,
): Promise<ResolvedGlobs> {
  const globs = [pattern, ...ignore.map((negated) => `!${negated}`)].map((p) => ({ pattern: p }));
  return resolveGlobs(cwd, globs, { allowOutside });
}

const codes = (result: ResolvedGlobs) => result.diagnostics.map((d) => d.code);

const DATA_TOP = ['data/B2.csv', 'data/[x].csv', 'data/a.csv', 'data/b.csv'];
const LINKED = ['links/dlink/B2.csv', 'links/dlink/[x].csv', 'links/dlink/a.csv', 'links/dlink/b.csv'];

/** [pattern, `!` patterns, expected]: what fast-glob 3.3.3 lists, as resolve-globs returns it. */
const TABLE: Array<[string, string[], string[]]> = [
  ['data/*.csv', [], DATA_TOP],
  ['./data//*.csv', [], DATA_TOP],
  ['data/../data/[ab].csv', [], ['data/a.csv', 'data/b.csv']],
  ['*.csv', [], ['top.csv']],
  ['*/*.csv', [], [...DATA_TOP, 'links/alink.csv', 'other/h.csv', 'part-01/j.csv', 'part-02/k.csv'].sort()],
  ['data/*/*.csv', [], ['data/sub/c.csv']],
  ['data/**/*.csv', [], [...DATA_TOP, 'data/sub/c.csv', 'data/sub/deep/d.csv']],
  ['**/deep/*.csv', [], ['data/sub/deep/d.csv', 'links/dlink/sub/deep/d.csv', 'other/deep/g.csv']],
  ['*/sub/**/*.csv', [], ['data/sub/c.csv', 'data/sub/deep/d.csv']],
  ['other/**', [], ['other/deep/g.csv', 'other/h.csv', 'other/x.json']],
  ['**/n.csv', [], ['node_modules/pkg/n.csv']],
  ['{data,other/deep}/*.csv', [], [...DATA_TOP, 'other/deep/g.csv']],
  ['{data/{sub,.hid},other}/*.csv', [], ['data/.hid/e.csv', 'data/sub/c.csv', 'other/h.csv']],
  ['other/*.{csv,json}', [], ['other/h.csv', 'other/x.json']],
  ['data/{,sub/}*.csv', [], [...DATA_TOP, 'data/sub/c.csv']],
  ['part-{01..02}/*.csv', [], ['part-01/j.csv', 'part-02/k.csv']],
  ['{part-{01..01},data/sub}/*.csv', [], ['data/sub/c.csv', 'part-01/j.csv']],
  ['part-0[12]/*.csv', [], ['part-01/j.csv', 'part-02/k.csv']],
  ['data/?.csv', [], ['data/a.csv', 'data/b.csv']],
  ['data/[[]x].csv', [], ['data/[x].csv']],
  ['data/\\[x\\].csv', [], ['data/[x].csv']],
  ['@(data|other)/+(a|h).csv', [], ['data/a.csv', 'other/h.csv']],
  ['data/!(a).csv', [], ['data/.hidden.csv', 'data/B2.csv', 'data/[x].csv', 'data/b.csv']],
  // dot: false: wildcards never take a leading dot; a dot written out does.
  ['data/.*.csv', [], ['data/.hidden.csv']],
  ['data/.hidden.csv', [], ['data/.hidden.csv']],
  ['.config/*.csv', [], ['.config/f.csv']],
  ['**/.hid/*.csv', [], ['data/.hid/e.csv', 'links/dlink/.hid/e.csv']],
  ['**/[.]hid/*.csv', [], ['data/.hid/e.csv', 'links/dlink/.hid/e.csv']],
  ['*/*/e.csv', [], []],
  // Literal paths: the file when it exists, through a symlink too; a directory or a dangling link is none.
  ['top.csv', [], ['top.csv']],
  ['data/sub/deep/d.csv', [], ['data/sub/deep/d.csv']],
  ['links/alink.csv', [], ['links/alink.csv']],
  ['links/dangle.csv', [], []],
  ['data', [], []],
  ['links/*', [], ['links/alink.csv']],
  ['links/dlink/*.csv', [], LINKED],
  // `!` patterns: dot: true for the files they drop; `x/**` and `x/literal` keep the walk out of x.
  ['data/**/*.csv', ['data/sub/**', 'data/b.csv'], ['data/B2.csv', 'data/[x].csv', 'data/a.csv']],
  ['data/**/*.csv', ['data/sub'], DATA_TOP],
  ['data/sub/**/*.csv', ['data/sub/**'], []],
  ['data/.hidden.csv', ['data/*.csv'], []],
  [
    '**/*.csv',
    ['./links/**', '*/*.csv', '**/deep/**'],
    ['data/sub/c.csv', 'node_modules/pkg/n.csv', 'top.csv'],
  ],
];

describe('fast-glob 3.3.3 through resolveGlobs', () => {
  for (const [pattern, ignore, expected] of TABLE) {
    const label = ignore.length > 0 ? `${pattern} without ${ignore.join(' ')}` : pattern;
    it(label, async () => {
      const result = await list(dir, pattern, ignore);
      assert.deepEqual(result.files, expected);
      assert.deepEqual(codes(result), expected.length === 0 ? ['E_SOURCE_NO_MATCH'] : []);
    });
  }

  it('lists a whole tree, links followed, dot names and dangling links left out (sorted by code unit)', async () => {
    const expected = [
      ...DATA_TOP,
      'data/sub/c.csv',
      'data/sub/deep/d.csv',
      ...LINKED,
      'links/alink.csv',
      'links/dlink/sub/c.csv',
      'links/dlink/sub/deep/d.csv',
      'node_modules/pkg/n.csv',
      'other/deep/g.csv',
      'other/h.csv',
      'other/x.json',
      'part-01/j.csv',
      'part-02/k.csv',
      'top.csv',
    ].sort();
    assert.deepEqual(await list(dir, '**'), { files: expected, diagnostics: [] });
  });

  it('reaches outside through `..` and absolute patterns when allowed, relative to the directory', async () => {
    assert.deepEqual(await list(join(dir, 'other'), '../data/[ab].csv', [], true), {
      files: ['../data/a.csv', '../data/b.csv'],
      diagnostics: [],
    });
    assert.deepEqual(await list(dir, `${dir}/part-*/*.csv`, [], true), {
      files: ['part-01/j.csv', 'part-02/k.csv'],
      diagnostics: [],
    });
  });
});

describe('fast-glob through resolveGlobs on symlink cycles and unreadable paths', () => {
  const cycle = createFixtureDir({ 'top.csv': 'x', 'a/in.csv': 'x', 'b/deep/b.csv': 'x' });
  after(cycle.cleanup);
  symlinkSync('..', join(cycle.dir, 'a', 'loop'));
  symlinkSync('../../a', join(cycle.dir, 'b', 'deep', 'to-a'));
  symlinkSync('self', join(cycle.dir, 'self'));

  it('stops at a directory already on the way down, listing each file once', async () => {
    assert.deepEqual(await list(cycle.dir, '**/*.csv'), {
      files: ['a/in.csv', 'b/deep/b.csv', 'b/deep/to-a/in.csv', 'top.csv'],
      diagnostics: [],
    });
    assert.deepEqual((await list(cycle.dir, 'a/loop/**/*.csv')).files, [
      'a/loop/a/in.csv',
      'a/loop/b/deep/b.csv',
      'a/loop/b/deep/to-a/in.csv',
      'a/loop/top.csv',
    ]);
  });

  it('skips a link to itself as an entry, and reports it as a path it cannot read (fast-glob throws)', async () => {
    assert.deepEqual(await list(cycle.dir, '*'), { files: ['top.csv'], diagnostics: [] });
    for (const pattern of ['self/*.csv', 'self/x.csv']) {
      const result = await list(cycle.dir, pattern);
      assert.deepEqual(codes(result), ['E_SOURCE_READ', 'E_SOURCE_NO_MATCH'], pattern);
      assert.match(result.diagnostics[0]?.message ?? '', /'self(\/x\.csv)?' \(ELOOP\)/);
    }
  });

  it('treats a missing base or a file used as a directory as no match, without a read problem', async () => {
    for (const pattern of ['missing/**/*.csv', 'missing.csv', 'top.csv/*.csv', 'top.csv/x.csv'])
      assert.deepEqual(codes(await list(cycle.dir, pattern)), ['E_SOURCE_NO_MATCH'], pattern);
  });
});
