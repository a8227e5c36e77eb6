import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, computeFileFingerprint, computeFingerprint } from '../../src/plan/fingerprint.js';
import { importApiParameters } from '../../src/plan/parameters.js';
import { buildFile, buildImport, buildSource } from './builders.js';

describe('importApiParameters', () => {
  it('takes the definition parameters, csv with its delimiter', () => {
    const def = buildImport('a', { database: 'Newsletter', delimiter: ';', ignoreEmptyFields: true });
    assert.deepEqual(importApiParameters(def), {
      database: 'Newsletter',
      action: 'update or add',
      keyFields: ['Email'],
      ignoreEmptyFields: true,
      removeMissing: false,
      followups: false,
      autostart: true,
      rebuild: false,
      format: 'csv',
      delimiter: ';',
    });
  });

  it('sends json for json and jsonl, without a delimiter', () => {
    for (const format of ['json', 'jsonl'] as const) {
      const params = importApiParameters(buildImport('a', { format }));
      assert.equal(params.format, 'json');
      assert.equal('delimiter' in params, false);
    }
  });

  it('infers the format from the resolved source, else from the glob or URL extension', () => {
    assert.equal(importApiParameters(buildImport('a'), { format: 'jsonl' }).format, 'json');
    const tsv = buildImport('a', { source: { kind: 'files', globs: ['data/*.tsv'] } });
    assert.equal(importApiParameters(tsv).delimiter, '\t');
    const url = buildImport('a', { source: { kind: 'location', url: 'https://x.example/feed.json?x=1' } });
    assert.equal(importApiParameters(url).format, 'json');
  });

  it('has deleteTarget only with delete, defaulting to profile', () => {
    assert.equal(importApiParameters(buildImport('a')).deleteTarget, undefined);
    assert.equal(importApiParameters(buildImport('a', { action: 'delete' })).deleteTarget, 'profile');
    const sub = buildImport('a', { action: 'delete', deleteTarget: 'subprofile' });
    assert.equal(importApiParameters(sub).deleteTarget, 'subprofile');
  });
});

describe('computeFingerprint', () => {
  const def = buildImport('a');
  const source = buildSource('a', [buildFile('data/b.csv'), buildFile('data/a.csv')]);

  it('does not depend on file order, stamps or caching', () => {
    const reordered = buildSource('a', [
      buildFile('data/a.csv', 'data/a.csv', { cached: true, stamp: { size: 9, mtimeMs: 9, ino: 9 } }),
      buildFile('data/b.csv'),
    ]);
    assert.equal(computeFingerprint(def, reordered), computeFingerprint(def, source));
  });

  it('changes with a file hash, a file path, or a parameter', () => {
    const base = computeFingerprint(def, source);
    const edited = buildSource('a', [buildFile('data/a.csv', 'edited'), buildFile('data/b.csv')]);
    const renamed = buildSource('a', [buildFile('data/c.csv', 'data/a.csv'), buildFile('data/b.csv')]);
    const all = [base, computeFingerprint(def, edited), computeFingerprint(def, renamed)];
    all.push(computeFingerprint(buildImport('a', { rebuild: true }), source));
    all.push(computeFingerprint(buildImport('a', { database: 2 }), source));
    assert.equal(new Set(all).size, all.length);
  });

  it('covers a location URL and a command argv', () => {
    const loc = (url: string) => buildImport('a', { source: { kind: 'location', url } });
    const empty = buildSource('a', [], { kind: 'location' });
    assert.notEqual(
      computeFingerprint(loc('https://x.example/1.csv'), empty),
      computeFingerprint(loc('https://x.example/2.csv'), empty),
    );
    const cmd = (argv: string[]) => buildImport('a', { source: { kind: 'command', argv, timeoutMs: 1 } });
    const out = buildSource('a', [buildFile('<command>', 'out')], { kind: 'command' });
    assert.notEqual(computeFingerprint(cmd(['x']), out), computeFingerprint(cmd(['x', '-v']), out));
  });

  it('gives each file of a per-file import its own fingerprint', () => {
    const a = computeFileFingerprint(def, buildFile('data/a.csv'));
    assert.notEqual(a, computeFileFingerprint(def, buildFile('data/b.csv')));
    assert.equal(a, computeFileFingerprint(def, buildFile('data/a.csv')));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } }),
      '{"a":{"d":[{"y":2,"z":1}]},"b":1}',
    );
  });
});
