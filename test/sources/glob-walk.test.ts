// globWalk must list exactly what fast-glob 3.3.3 listed (with the options resolve-globs used), walking less.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fg from 'fast-glob';
import { globWalk } from '../../src/sources/glob-walk.js';
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

/** What resolve-globs asked fast-glob for (its `./` prefix dropped: resolve-globs normalized it away too). */
function fastGlob(pattern: string, ignore: string[]): string[] {
  const options = { cwd: dir, ignore, dot: false, onlyFiles: true, followSymbolicLinks: true, unique: true };
  return fg
    .sync(pattern, options)
    .map((path) => path.replace(/^\.\//, ''))
    .sort();
}

const DATA_TOP = ['data/B2.csv', 'data/[x].csv', 'data/a.csv', 'data/b.csv'];
const LINKED = ['links/dlink/B2.csv', 'links/dlink/[x].csv', 'links/dlink/a.csv', 'links/dlink/b.csv'];

/** [pattern, `!` patterns, expected]: each is also checked against fast-glob on the same tree. */
const TABLE: Array<[string, string[], string[]]> = [
  ['data/*.csv', [], DATA_TOP],
  ['./data//*.csv', [], DATA_TOP],
  ['data/../data/[ab].csv', [], ['data/../data/a.csv', 'data/../data/b.csv']],
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
  // dot: false, as fast-glob: wildcards never take a leading dot; a dot written out does.
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

describe('globWalk against fast-glob 3.3.3', () => {
  for (const [pattern, ignore, expected] of TABLE) {
    const label = ignore.length > 0 ? `${pattern} without ${ignore.join(' ')}` : pattern;
    it(label, () => {
      const result = globWalk(dir, pattern, ignore);
      assert.deepEqual(result, { files: expected, problems: [] });
      assert.deepEqual(result.files, fastGlob(pattern, ignore), 'fast-glob listed otherwise');
    });
  }

  it('lists a whole tree like fast-glob, links followed (sorted by code unit)', () => {
    const files = globWalk(dir, '**').files;
    assert.deepEqual(files, fastGlob('**', []));
    assert.deepEqual(files, [...files].sort());
    assert.ok(files.includes('links/dlink/sub/deep/d.csv') && !files.includes('links/dangle.csv'));
  });

  it('reaches outside through `..` and absolute patterns, as written', () => {
    assert.deepEqual(globWalk(join(dir, 'other'), '../data/[ab].csv').files, [
      '../data/a.csv',
      '../data/b.csv',
    ]);
    assert.deepEqual(globWalk(dir, `${dir}/part-*/*.csv`).files, [
      `${dir}/part-01/j.csv`,
      `${dir}/part-02/k.csv`,
    ]);
  });
});

describe('globWalk on symlink cycles and unreadable paths', () => {
  const cycle = createFixtureDir({ 'top.csv': 'x', 'a/in.csv': 'x', 'b/deep/b.csv': 'x' });
  after(cycle.cleanup);
  symlinkSync('..', join(cycle.dir, 'a', 'loop'));
  symlinkSync('../../a', join(cycle.dir, 'b', 'deep', 'to-a'));
  symlinkSync('self', join(cycle.dir, 'self'));

  it('stops at a directory already on the descent path, listing each file once', () => {
    assert.deepEqual(globWalk(cycle.dir, '**/*.csv'), {
      files: ['a/in.csv', 'b/deep/b.csv', 'b/deep/to-a/in.csv', 'top.csv'],
      problems: [],
    });
    assert.deepEqual(globWalk(cycle.dir, 'a/loop/**/*.csv').files, [
      'a/loop/a/in.csv',
      'a/loop/b/deep/b.csv',
      'a/loop/b/deep/to-a/in.csv',
      'a/loop/top.csv',
    ]);
  });

  it('skips a link to itself as an entry, and reports it as a directory to read (fast-glob threw)', () => {
    assert.deepEqual(globWalk(cycle.dir, '*').files, ['top.csv']);
    assert.deepEqual(globWalk(cycle.dir, 'self/*.csv'), {
      files: [],
      problems: [{ path: 'self', code: 'ELOOP' }],
    });
  });

  it('treats a missing base or a file used as a directory as no match, quietly', () => {
    assert.deepEqual(globWalk(cycle.dir, 'missing/**/*.csv'), { files: [], problems: [] });
    assert.deepEqual(globWalk(cycle.dir, 'top.csv/*.csv'), { files: [], problems: [] });
  });
});
