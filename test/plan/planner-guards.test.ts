import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImportDefinition } from '../../src/config/types.js';
import { buildFile, buildImport, buildScenario, plan, planned, recordAll, setSource } from './builders.js';

const removeMissing = (extra: Partial<ImportDefinition> = {}) =>
  buildImport('a', { removeMissing: true, ...extra });
const deleting = (extra: Partial<ImportDefinition> = {}) => buildImport('a', { action: 'delete', ...extra });

function rowsFile(rows: number, extra = {}) {
  return buildFile('data/a/a.csv', `rows ${rows}`, { rows, ...extra });
}

/** Each case: a scenario that trips exactly one guard. */
const cases = [
  {
    code: 'E_GUARD_MIN_ROWS',
    what: 'removeMissing with fewer than minRows rows',
    build: () => {
      const s = buildScenario(removeMissing({ safety: { minRows: 5, maxShrink: 1, maxDeleteShare: 0.3 } }));
      setSource(s, 'a', [rowsFile(4)]);
      return s;
    },
  },
  {
    code: 'E_GUARD_MIN_ROWS',
    what: 'delete with zero rows',
    build: () => {
      const s = buildScenario(deleting());
      setSource(s, 'a', [rowsFile(0)]);
      return s;
    },
  },
  {
    code: 'E_GUARD_MAX_SHRINK',
    what: 'removeMissing dropping more than maxShrink of the last applied rows',
    build: () => {
      const s = buildScenario(removeMissing());
      setSource(s, 'a', [rowsFile(100)]);
      s.state = recordAll(s);
      setSource(s, 'a', [rowsFile(79)]);
      return s;
    },
  },
  {
    code: 'E_GUARD_BLANK_KEYS',
    what: 'blank keys with delete',
    build: () => {
      const s = buildScenario(deleting());
      setSource(s, 'a', [rowsFile(10, { blankKeys: 2 })]);
      return s;
    },
  },
  {
    code: 'E_GUARD_BLANK_KEYS',
    what: 'blank keys with removeMissing',
    build: () => {
      const s = buildScenario(removeMissing());
      setSource(s, 'a', [rowsFile(10, { blankKeys: 1 })]);
      return s;
    },
  },
  {
    code: 'E_GUARD_TRUNCATED',
    what: 'a truncated file on a plain update or add',
    build: () => {
      const s = buildScenario(buildImport('a'));
      setSource(s, 'a', [rowsFile(10, { truncated: true })]);
      return s;
    },
  },
  {
    code: 'E_GUARD_BLANK_KEYS',
    what: 'blank keys reported by the source as an error diagnostic',
    build: () => {
      const s = buildScenario(deleting());
      const diagnostic = {
        severity: 'error' as const,
        code: 'E_SOURCE_BLANK_KEY',
        message: '1 record has a blank key',
        position: { file: 'data/a/a.csv', line: 3, column: 1 },
      };
      setSource(s, 'a', [rowsFile(10, { blankKeys: 1, diagnostics: [diagnostic] })]);
      return s;
    },
  },
  {
    code: 'E_GUARD_UNKNOWN_OUTCOME',
    what: 'an add whose last outcome is unknown (it may have imported everything already)',
    build: () => {
      const s = buildScenario(buildImport('a', { action: 'add', keyFields: [] }));
      s.state = recordAll(s, 'unknown');
      return s;
    },
  },
  {
    code: 'E_GUARD_UNKNOWN_OUTCOME',
    what: 'an add that failed inside Copernica after it was accepted (part of it may be imported)',
    build: () => {
      const s = buildScenario(buildImport('a', { action: 'add', keyFields: [] }));
      s.state = recordAll(s, 'failed');
      const entry = s.state.imports.a;
      if (entry) entry.importId = '41';
      return s;
    },
  },
];

describe('planner safety guards', () => {
  for (const c of cases) {
    it(`refuses ${c.what} with ${c.code}`, () => {
      const p = planned(plan(c.build()), 'a');
      assert.equal(p.status, 'refused');
      assert.equal(p.willRun, false);
      assert.deepEqual(
        p.refusals.map((r) => r.code),
        [c.code],
      );
      assert.match(p.refusals[0]?.hint ?? '', /--allow-destructive/);
      assert.match(p.reasons[0] ?? '', new RegExp(c.code));
    });

    it(`passes ${c.what} with --allow-destructive, keeping the status and saying so`, () => {
      const p = planned(plan(c.build(), { allowDestructive: true }), 'a');
      assert.notEqual(p.status, 'refused');
      assert.equal(p.willRun, true);
      assert.deepEqual(p.refusals, []);
      assert.deepEqual(
        p.overridden.map((r) => r.code),
        [c.code],
      );
      assert.match(p.reasons[0] ?? '', /passed by --allow-destructive/);
    });
  }

  it('lets --force re-send an add whose last outcome is unknown', () => {
    const s = buildScenario(buildImport('a', { action: 'add', keyFields: [] }));
    s.state = recordAll(s, 'unknown');
    const p = planned(plan(s, { force: true }), 'a');
    assert.equal(p.willRun, true);
    assert.deepEqual(p.refusals, []);
  });

  it('runs an idempotent import whose last outcome is unknown again (failed-before)', () => {
    const s = buildScenario(buildImport('a'));
    s.state = recordAll(s, 'unknown');
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'failed-before');
    assert.equal(p.willRun, true);
  });

  it('runs an add again that Copernica refused outright (nothing of it was imported)', () => {
    const s = buildScenario(buildImport('a', { action: 'add', keyFields: [] }));
    s.state = recordAll(s, 'failed');
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'failed-before');
    assert.equal(p.willRun, true);
    assert.deepEqual(p.refusals, []);
  });

  it('allows a shrink within maxShrink', () => {
    const s = buildScenario(removeMissing());
    setSource(s, 'a', [rowsFile(100)]);
    s.state = recordAll(s);
    setSource(s, 'a', [rowsFile(80)]);
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'changed');
    assert.deepEqual(p.refusals, []);
  });

  it('measures shrink against the last successful run, not a failed one', () => {
    const s = buildScenario(removeMissing());
    setSource(s, 'a', [rowsFile(100)]);
    s.state = recordAll(s);
    setSource(s, 'a', [rowsFile(50)]);
    s.state = recordAll(s, 'failed');
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'refused');
    assert.match(p.refusals[0]?.message ?? '', /from 100/);
  });

  it('lets blank keys and small sources through on a non-destructive import', () => {
    const s = buildScenario(buildImport('a'));
    setSource(s, 'a', [rowsFile(0, { blankKeys: 3 })]);
    assert.equal(planned(plan(s), 'a').status, 'new');
  });

  it('does not check guards on an import that would not run', () => {
    const s = buildScenario(deleting());
    setSource(s, 'a', [rowsFile(10, { blankKeys: 2 })]);
    s.state = recordAll(s);
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'unchanged');
    assert.deepEqual(p.refusals, []);
  });

  it('checks guards on an unchanged import forced to run', () => {
    const s = buildScenario(deleting());
    setSource(s, 'a', [rowsFile(10, { blankKeys: 2 })]);
    s.state = recordAll(s);
    assert.equal(planned(plan(s, { force: true }), 'a').status, 'refused');
  });

  it('reports every failing guard at once', () => {
    const s = buildScenario(deleting({ safety: { minRows: 50, maxShrink: 0.2, maxDeleteShare: 0.3 } }));
    setSource(s, 'a', [rowsFile(10, { blankKeys: 1, truncated: true })]);
    const codes = planned(plan(s), 'a').refusals.map((r) => r.code);
    assert.deepEqual(codes, ['E_GUARD_TRUNCATED', 'E_GUARD_MIN_ROWS', 'E_GUARD_BLANK_KEYS']);
  });

  it('refuses removeMissing from a location source, whose rows cannot be counted', () => {
    const s = buildScenario(removeMissing({ source: { kind: 'location', url: 'https://x.example/a.csv' } }));
    setSource(s, 'a', [], { kind: 'location' });
    assert.deepEqual(
      planned(plan(s), 'a').refusals.map((r) => r.code),
      ['E_GUARD_MIN_ROWS'],
    );
  });
});
