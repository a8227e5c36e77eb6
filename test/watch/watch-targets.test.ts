// Glob → watch base + matcher mapping: which paths reach which import, and what the watcher may skip.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ImportDefinition, SyncConfig } from '../../src/config/types.js';
import { buildWatchTargets } from '../../src/watch/watch-targets.js';

const DIR = '/srv/sync';
const dir = { isFile: () => false, isDirectory: () => true };
const file = { isFile: () => true, isDirectory: () => false };

function filesImport(name: string, globs: string[]): ImportDefinition {
  return { name, source: { kind: 'files', globs } } as unknown as ImportDefinition;
}

function config(imports: ImportDefinition[], statePath = join(DIR, '.copernica-sync/state.json')) {
  return { file: join(DIR, 'imports.yaml'), dir: DIR, statePath, imports } satisfies Pick<
    SyncConfig,
    'file' | 'dir' | 'statePath' | 'imports'
  >;
}

describe('buildWatchTargets', () => {
  test('watches the config directory and collects each glob base', () => {
    const t = buildWatchTargets(
      config([filesImport('a', ['data/*.csv', './inbox/**/*.json']), filesImport('b', ['exports/list.csv'])]),
    );
    assert.deepEqual(t.roots, [DIR]);
    assert.deepEqual(t.bases, [join(DIR, 'data'), join(DIR, 'exports'), join(DIR, 'inbox')]);
    assert.equal(t.configFile, join(DIR, 'imports.yaml'));
  });

  test('a base outside the config directory becomes a root of its own', () => {
    const t = buildWatchTargets(config([filesImport('a', ['../shared/*.csv'])]));
    assert.deepEqual(t.roots, [DIR, '/srv/shared']);
  });

  test('maps a file to the imports whose globs match it, negations excluded', () => {
    const t = buildWatchTargets(
      config([
        filesImport('a', ['data/*.csv', '!data/skip-*.csv']),
        filesImport('b', ['data/**/*.csv']),
        filesImport('c', ['exports/list.csv']),
        {
          name: 'cmd',
          source: { kind: 'command', argv: ['x'], timeoutMs: 1 },
        } as unknown as ImportDefinition,
      ]),
    );
    assert.deepEqual(t.importsFor(join(DIR, 'data/x.csv')), ['a', 'b']);
    assert.deepEqual(t.importsFor(join(DIR, 'data/skip-1.csv')), ['b']);
    assert.deepEqual(t.importsFor(join(DIR, 'data/deep/x.csv')), ['b']);
    assert.deepEqual(t.importsFor(join(DIR, 'data/.hidden.csv')), []);
    assert.deepEqual(t.importsFor(join(DIR, 'exports/list.csv')), ['c']);
    assert.deepEqual(t.importsFor(join(DIR, 'exports/other.csv')), []);
  });

  test('a removed directory concerns the imports with a base in or around it', () => {
    const t = buildWatchTargets(
      config([filesImport('a', ['data/in/*.csv']), filesImport('b', ['other/*.csv'])]),
    );
    assert.deepEqual(t.importsUnder(join(DIR, 'data')), ['a']);
    assert.deepEqual(t.importsUnder(join(DIR, 'data/in/sub')), ['a']);
    assert.deepEqual(t.importsUnder(join(DIR, 'unrelated')), []);
  });

  test('ignores .git, node_modules and the state directory, never a root or imports.yaml', () => {
    const t = buildWatchTargets(config([filesImport('a', ['**/*.csv'])]));
    assert.equal(t.isIgnored(DIR), false);
    assert.equal(t.isIgnored(DIR, dir), false);
    assert.equal(t.isIgnored(join(DIR, 'imports.yaml'), file), false);
    assert.equal(t.isIgnored(join(DIR, '.git'), dir), true);
    assert.equal(t.isIgnored(join(DIR, 'x/node_modules/y.csv'), file), true);
    assert.equal(t.isIgnored(join(DIR, '.copernica-sync'), dir), true);
    assert.equal(t.isIgnored(join(DIR, '.copernica-sync/state.json.lock')), true);
  });

  test('a state file beside imports.yaml is ignored without ignoring the directory', () => {
    const t = buildWatchTargets(config([filesImport('a', ['*.json'])], join(DIR, 'state.json')));
    assert.equal(t.isIgnored(DIR, dir), false);
    assert.equal(t.isIgnored(join(DIR, 'state.json'), file), true);
    assert.equal(t.isIgnored(join(DIR, 'state.json.1234.tmp')), true);
    assert.equal(t.isIgnored(join(DIR, 'people.json'), file), false);
  });

  test('skips files no glob matches and directories no glob can reach', () => {
    const t = buildWatchTargets(
      config([filesImport('a', ['data/*.csv']), filesImport('b', ['logs/*/x.json'])]),
    );
    assert.equal(t.isIgnored(join(DIR, 'data'), dir), false);
    assert.equal(t.isIgnored(join(DIR, 'data/sub'), dir), true, 'a single * does not descend');
    assert.equal(t.isIgnored(join(DIR, 'logs/2026'), dir), false, 'one level below the base');
    assert.equal(t.isIgnored(join(DIR, 'logs/2026/deeper'), dir), true);
    assert.equal(t.isIgnored(join(DIR, 'docs'), dir), true);
    assert.equal(t.isIgnored(join(DIR, 'data/a.txt'), file), true);
    assert.equal(t.isIgnored(join(DIR, 'data/a.csv'), file), false);
    // The first call comes without stats: a possible file or directory is kept.
    assert.equal(t.isIgnored(join(DIR, 'data/a.csv')), false);
    assert.equal(t.isIgnored(join(DIR, 'docs/readme.md')), true);
  });

  test('the directories above a deep base are kept so a base created later is seen', () => {
    const t = buildWatchTargets(config([filesImport('a', ['exports/crm/daily/*.csv'])]));
    assert.equal(t.isIgnored(join(DIR, 'exports'), dir), false);
    assert.equal(t.isIgnored(join(DIR, 'exports/crm'), dir), false);
    assert.equal(t.isIgnored(join(DIR, 'exports/other'), dir), true);
  });
});
