import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeFileFingerprint, computeFingerprint } from '../../src/plan/fingerprint.js';
import { recordApplied } from '../../src/state/record-applied.js';
import { createEmptyState } from '../../src/state/types.js';
import { buildFile, buildImport, buildSource } from '../plan/builders.js';

describe('recordApplied', () => {
  const def = buildImport('a', { removeMissing: true });
  const source = buildSource('a', [buildFile('data/a.csv', 'one', { rows: 7 })]);

  it('records fingerprint, files, rows, header, parameters and the run, without mutating the input', () => {
    const before = createEmptyState();
    const after = recordApplied(before, def, source, {
      outcome: 'finished',
      importId: '12',
      appliedAt: 't1',
    });
    assert.deepEqual(before.imports, {});
    const e = after.imports.a;
    assert.ok(e);
    assert.equal(e.fingerprint, computeFingerprint(def, source));
    assert.deepEqual(e.files, [{ path: 'data/a.csv', hash: source.files[0]?.hash }]);
    assert.equal(e.rows, 7);
    assert.equal(e.appliedRows, 7);
    assert.equal(e.importId, '12');
    assert.deepEqual(e.header, ['Email', 'Name']);
    assert.equal(e.parameters?.removeMissing, true);
  });

  it('keeps the last successful row count after a failure', () => {
    const ok = recordApplied(createEmptyState(), def, source, { outcome: 'finished', appliedAt: 't1' });
    const smaller = buildSource('a', [buildFile('data/a.csv', 'two', { rows: 2 })]);
    const failed = recordApplied(ok, def, smaller, { outcome: 'failed', appliedAt: 't2', error: 'HTTP 400' });
    assert.equal(failed.imports.a?.outcome, 'failed');
    assert.equal(failed.imports.a?.error, 'HTTP 400');
    assert.equal(failed.imports.a?.rows, 2);
    assert.equal(failed.imports.a?.appliedRows, 7);
  });

  it('records per-file runs under perFile, only for the files covered', () => {
    const perFile = buildImport('a', { mode: 'per-file' });
    const two = buildSource('a', [buildFile('data/1.csv'), buildFile('data/2.csv')]);
    const state = recordApplied(createEmptyState(), perFile, two, {
      outcome: 'finished',
      appliedAt: 't1',
      importId: '5',
      files: ['data/2.csv'],
    });
    const records = state.imports.a?.perFile ?? {};
    assert.deepEqual(Object.keys(records), ['data/2.csv']);
    assert.equal(
      records['data/2.csv']?.fingerprint,
      computeFileFingerprint(perFile, buildFile('data/2.csv')),
    );
    assert.equal(records['data/2.csv']?.importId, '5');
  });
});
