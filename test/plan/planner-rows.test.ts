// The planner and the row diff: row counts, the rows a delta sends, the keys a prune deletes, and their guards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planImports } from '../../src/plan/planner.js';
import type { RowDiff } from '../../src/plan/types.js';
import { buildFile, buildImport, buildScenario, planned, recordAll, setSource } from './builders.js';

function diff(counts: Partial<RowDiff['counts']>, extra: Partial<RowDiff> = {}): RowDiff {
  return {
    counts: { added: 0, changed: 0, removed: 0, unchanged: 0, ...counts },
    previousRows: 100,
    headerChanged: false,
    ...extra,
  };
}

function planWithRows(
  imp = buildImport('a', { send: 'changes', prune: true }),
  rows = diff({}),
  force = false,
) {
  const s = buildScenario(imp);
  s.state = recordAll(s);
  setSource(s, 'a', [buildFile('data/a/a.csv', 'changed content', { rows: 99 })]);
  return planned(
    planImports({
      imports: [{ definition: imp, source: s.sources.get('a'), rows }],
      state: s.state,
      options: { force, allowDestructive: false },
    }),
    'a',
  );
}

describe('planner: rows', () => {
  it('counts rows and sends only the added and changed ones; prune deletes the removed keys', () => {
    const p = planWithRows(undefined, diff({ added: 2, changed: 5, removed: 3, unchanged: 92 }));
    assert.deepEqual(p.rowChanges, { added: 2, changed: 5, removed: 3, unchanged: 92 });
    assert.equal(p.sendRows, 7);
    assert.deepEqual(p.prune, { keys: 3, of: 100 });
    assert.equal(p.status, 'changed');
    assert.equal(p.willRun, true);
  });

  it('sends every row after a header change or with --force', () => {
    assert.equal(planWithRows(undefined, diff({ changed: 5 }, { headerChanged: true })).sendRows, undefined);
    assert.equal(planWithRows(undefined, diff({ changed: 5 }), true).sendRows, undefined);
  });

  it('runs nothing when no row was added, changed or removed', () => {
    const p = planWithRows(undefined, diff({ unchanged: 100 }));
    assert.equal(p.willRun, false);
    assert.equal(p.status, 'unchanged');
    assert.match(p.reasons[0] ?? '', /nothing to send/);
  });

  it('refuses a prune of more than maxDeleteShare of the rows sent before, and one on too few rows', () => {
    const share = planWithRows(undefined, diff({ removed: 50, unchanged: 50 }));
    assert.equal(share.status, 'refused');
    assert.deepEqual(
      share.refusals.map((r) => r.code),
      ['E_GUARD_DELETE_SHARE'],
    );
    const few = planWithRows(
      buildImport('a', { prune: true, safety: { minRows: 1000, maxShrink: 1, maxDeleteShare: 1 } }),
      diff({ removed: 1, unchanged: 98 }),
    );
    assert.deepEqual(
      few.refusals.map((r) => r.code),
      ['E_GUARD_MIN_ROWS'],
    );
  });

  it('a repeated key the row diff added to the source (an error) makes the import invalid', () => {
    const problem = {
      severity: 'error' as const,
      code: 'E_SOURCE_DUPLICATE_KEY',
      message: "the key (Email) on line 9 is another record's too",
      position: { file: 'data/a/a.csv', line: 9, column: 1 },
    };
    const imp = buildImport('a', { send: 'changes' });
    const s = buildScenario(imp);
    s.state = recordAll(s);
    setSource(s, 'a', [buildFile('data/a/a.csv', 'changed content')], { diagnostics: [problem] });
    const p = planned(
      planImports({
        imports: [{ definition: imp, source: s.sources.get('a'), rows: diff({ changed: 1 }) }],
        state: s.state,
        options: { force: false, allowDestructive: true },
      }),
      'a',
    );
    assert.equal(p.status, 'invalid');
    assert.match(p.reasons[0] ?? '', /E_SOURCE_DUPLICATE_KEY: the key \(Email\) on line 9/);
  });

  it('a blank key makes a send: changes import invalid, where a plain import only warns', () => {
    const blank = {
      severity: 'error' as const,
      code: 'E_SOURCE_BLANK_KEY',
      message: '1 record(s) have a blank key (Email), first at line 4',
      position: { file: 'data/a/a.csv', line: 4, column: 1 },
    };
    const plan = (imp: ReturnType<typeof buildImport>) => {
      const s = buildScenario(imp);
      setSource(s, 'a', [buildFile('data/a/a.csv')], { diagnostics: [blank] });
      return planned(
        planImports({
          imports: [{ definition: imp, source: s.sources.get('a') }],
          state: s.state,
          options: { force: false, allowDestructive: true },
        }),
        'a',
      );
    };
    const rowKeyed = plan(buildImport('a', { send: 'changes' }));
    assert.equal(rowKeyed.status, 'invalid');
    assert.match(rowKeyed.reasons[0] ?? '', /E_SOURCE_BLANK_KEY/);
    assert.equal(plan(buildImport('a')).status, 'new');
  });

  it('a plain import only reports the counts', () => {
    const p = planWithRows(buildImport('a'), diff({ changed: 1, unchanged: 99 }));
    assert.equal(p.sendRows, undefined);
    assert.equal(p.prune, undefined);
    assert.deepEqual(p.rowChanges, { added: 0, changed: 1, removed: 0, unchanged: 99 });
  });
});
