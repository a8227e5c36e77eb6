// What a watch pass concludes per import from the plan and the apply results.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImportResult } from '../../src/apply/execute-plan.js';
import type { Plan, PlannedImport, PlanStatus } from '../../src/plan/types.js';
import { verdictsOf } from '../../src/watch/watch-pass.js';

function planned(name: string, status: PlanStatus, extra: Partial<PlannedImport> = {}): PlannedImport {
  const willRun = status === 'new' || status === 'changed' || status === 'failed-before';
  return {
    name,
    status,
    reasons: [],
    willRun,
    fingerprint: 'f',
    database: 1,
    action: 'update or add',
    rows: 1,
    changedFiles: [],
    changedParameters: [],
    runFiles: [],
    dependsOn: [],
    refusals: [],
    overridden: [],
    ...extra,
  };
}

function planOf(imports: PlannedImport[]): Plan {
  return {
    version: 1,
    imports,
    summary: { toRun: 0, unchanged: 0, pending: 0, refused: 0, invalid: 0, total: imports.length },
    hash: 'h',
  };
}

test('results decide ran/failed; the plan decides waiting/unchanged', () => {
  const plan = planOf([
    planned('ok', 'changed'),
    planned('bad', 'changed'),
    planned('lost', 'new'),
    planned('guarded', 'refused'),
    planned('broken', 'invalid'),
    planned('blocked', 'changed', { willRun: true, blockedBy: ['guarded'] }),
    planned('same', 'unchanged'),
    planned('never', 'new'),
  ]);
  const results = new Map<string, ImportResult>([
    ['ok', { name: 'ok', outcome: 'finished', ids: ['1'] }],
    ['bad', { name: 'bad', outcome: 'failed', ids: [] }],
    ['lost', { name: 'lost', outcome: 'unknown', ids: ['2'] }],
  ]);
  const verdicts = Object.fromEntries(verdictsOf(plan, results, undefined));
  assert.deepEqual(verdicts, {
    ok: { kind: 'ran', outcome: 'finished' },
    bad: { kind: 'failed', outcome: 'failed' },
    lost: { kind: 'failed', outcome: 'unknown' },
    guarded: { kind: 'waiting', outcome: 'refused' },
    broken: { kind: 'waiting', outcome: 'invalid' },
    blocked: { kind: 'waiting', outcome: 'blocked' },
    same: { kind: 'unchanged', outcome: 'unchanged' },
    never: { kind: 'failed', outcome: 'not run' },
  });
});

test('with --only semantics, dependencies planned alongside are left out', () => {
  const plan = planOf([planned('dep', 'unchanged'), planned('target', 'changed')]);
  const verdicts = verdictsOf(plan, new Map([['target', { name: 'target', outcome: 'finished', ids: [] }]]), [
    'target',
  ]);
  assert.deepEqual([...verdicts.keys()], ['target']);
});
