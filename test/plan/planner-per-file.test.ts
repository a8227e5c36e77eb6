import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recordApplied } from '../../src/state/record-applied.js';
import {
  buildFile,
  buildImport,
  buildScenario,
  definitionOf,
  plan,
  planned,
  recordAll,
  setSource,
  sourceOf,
} from './builders.js';

const perFile = (extra = {}) => buildImport('a', { mode: 'per-file', ...extra });
const files = (...specs: Array<[string, string?]>) =>
  specs.map(([path, content]) => buildFile(path, content ?? path));

describe('planner, per-file mode', () => {
  it('runs every file of a new import', () => {
    const s = buildScenario(perFile());
    setSource(s, 'a', files(['data/a/2.csv'], ['data/a/1.csv']));
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'new');
    assert.equal(p.willRun, true);
    assert.deepEqual(p.runFiles, ['data/a/1.csv', 'data/a/2.csv']);
  });

  it('runs only new and changed files; a removed file changes nothing', () => {
    const s = buildScenario(perFile());
    setSource(s, 'a', files(['data/a/1.csv'], ['data/a/2.csv'], ['data/a/3.csv']));
    s.state = recordAll(s);
    setSource(s, 'a', files(['data/a/1.csv'], ['data/a/2.csv', 'edited'], ['data/a/4.csv']));
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'changed');
    assert.deepEqual(p.runFiles, ['data/a/2.csv', 'data/a/4.csv']);
    assert.deepEqual(p.fileChanges, { added: ['data/a/4.csv'], removed: [], changed: ['data/a/2.csv'] });
  });

  it('is unchanged when only a file was removed', () => {
    const s = buildScenario(perFile());
    setSource(s, 'a', files(['data/a/1.csv'], ['data/a/2.csv']));
    s.state = recordAll(s);
    setSource(s, 'a', files(['data/a/1.csv']));
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'unchanged');
    assert.equal(p.willRun, false);
    assert.deepEqual(p.runFiles, []);
  });

  it('does not re-run a file that was removed and restored with the same content', () => {
    const s = buildScenario(perFile());
    setSource(s, 'a', files(['data/a/1.csv'], ['data/a/2.csv']));
    s.state = recordAll(s);
    setSource(s, 'a', files(['data/a/1.csv']));
    s.state = recordAll(s);
    setSource(s, 'a', files(['data/a/1.csv'], ['data/a/2.csv']));
    assert.equal(planned(plan(s), 'a').status, 'unchanged');
  });

  it('re-runs only the file whose last run failed, as failed-before', () => {
    const s = buildScenario(perFile());
    setSource(s, 'a', files(['data/a/1.csv'], ['data/a/2.csv']));
    const def = definitionOf(s, 'a');
    const source = sourceOf(s, 'a');
    s.state = recordApplied(s.state, def, source, {
      outcome: 'finished',
      appliedAt: 't1',
      files: ['data/a/1.csv'],
    });
    s.state = recordApplied(s.state, def, source, {
      outcome: 'failed',
      appliedAt: 't1',
      files: ['data/a/2.csv'],
      error: 'boom',
    });
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'failed-before');
    assert.deepEqual(p.runFiles, ['data/a/2.csv']);
  });

  it('re-runs every file when a parameter changes', () => {
    const s = buildScenario(perFile());
    setSource(s, 'a', files(['data/a/1.csv'], ['data/a/2.csv']));
    s.state = recordAll(s);
    s.imports = [perFile({ ignoreEmptyFields: true })];
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'changed');
    assert.deepEqual(p.runFiles, ['data/a/1.csv', 'data/a/2.csv']);
    assert.deepEqual(p.changedParameters, ['ignoreEmptyFields']);
  });

  it('runs every file with --force', () => {
    const s = buildScenario(perFile());
    setSource(s, 'a', files(['data/a/1.csv'], ['data/a/2.csv']));
    s.state = recordAll(s);
    const p = planned(plan(s, { force: true }), 'a');
    assert.equal(p.willRun, true);
    assert.deepEqual(p.runFiles, ['data/a/1.csv', 'data/a/2.csv']);
  });

  it('applies guards to the files that would run only', () => {
    const s = buildScenario(perFile({ action: 'delete' }));
    setSource(s, 'a', [buildFile('data/a/1.csv', 'old', { blankKeys: 4 })]);
    s.state = recordAll(s, 'finished');
    setSource(s, 'a', [
      buildFile('data/a/1.csv', 'old', { blankKeys: 4 }),
      buildFile('data/a/2.csv', 'new', { rows: 0 }),
    ]);
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'refused');
    assert.deepEqual(
      p.refusals.map((r) => r.code),
      ['E_GUARD_MIN_ROWS'],
    );
    assert.match(p.refusals[0]?.message ?? '', /data\/a\/2\.csv has 0/);
  });
});
