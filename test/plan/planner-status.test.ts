import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildFile,
  buildImport,
  buildScenario,
  errorDiagnostic,
  keepEntries,
  plan,
  planned,
  recordAll,
  setSource,
} from './builders.js';

describe('planner statuses', () => {
  it('marks an import never applied as new, to run', () => {
    const p = planned(plan(buildScenario(buildImport('a'))), 'a');
    assert.equal(p.status, 'new');
    assert.equal(p.willRun, true);
    assert.deepEqual(p.reasons, ['never applied']);
    assert.match(p.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(p.rows, 10);
  });

  it('marks an applied import with the same fingerprint unchanged, not to run', () => {
    const s = buildScenario(buildImport('a'));
    s.state = recordAll(s);
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'unchanged');
    assert.equal(p.willRun, false);
    assert.match(p.reasons[0] ?? '', /unchanged since 2026-01-02/);
  });

  it('runs an unchanged import with --force, status unchanged', () => {
    const s = buildScenario(buildImport('a'));
    s.state = recordAll(s);
    const p = planned(plan(s, { force: true }), 'a');
    assert.equal(p.status, 'unchanged');
    assert.equal(p.willRun, true);
    assert.match(p.reasons[0] ?? '', /--force/);
  });

  it('shows a submitted (not polled) run as pending: to run offline, with its Copernica import ID', () => {
    const s = buildScenario(buildImport('a'));
    s.state = recordAll(s, 'submitted');
    const entry = s.state.imports.a;
    if (entry) entry.importId = '41';
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'pending');
    assert.equal(p.willRun, true, 'offline its outcome is unknown: --detailed-exitcode counts it');
    assert.equal(p.importId, '41');
    assert.match(p.reasons[0] ?? '', /^submitted as Copernica import 41 at .+; outcome not checked$/);
  });

  it('once Copernica was asked (apply), a pending import still running is not sent again', () => {
    const s = buildScenario(buildImport('a'), buildImport('b', { dependsOn: ['a'] }));
    s.state = recordAll(s, 'submitted');
    setSource(s, 'b', [buildFile('data/b/changed.csv')]);
    const result = plan(s, { pendingChecked: true });
    assert.equal(planned(result, 'a').willRun, false);
    assert.match(planned(result, 'a').reasons[0] ?? '', /still running in Copernica/);
    assert.deepEqual(planned(result, 'b').blockedBy, ['a'], 'its dependents wait for it');
    assert.equal(result.summary.pending, 1);
  });

  it('runs an import again once its submitted run turned out to have failed', () => {
    const s = buildScenario(buildImport('a'));
    s.state = recordAll(s, 'failed');
    assert.equal(planned(plan(s, { pendingChecked: true }), 'a').status, 'failed-before');
  });

  for (const outcome of ['failed', 'unknown'] as const) {
    it(`marks an import whose last outcome was ${outcome} failed-before, to run`, () => {
      const s = buildScenario(buildImport('a'));
      s.state = recordAll(s, outcome);
      const p = planned(plan(s), 'a');
      assert.equal(p.status, 'failed-before');
      assert.equal(p.willRun, true);
    });
  }

  it('lists changed, added and removed files of a changed import', () => {
    const s = buildScenario(buildImport('a'));
    setSource(s, 'a', [buildFile('data/a/1.csv'), buildFile('data/a/2.csv'), buildFile('data/a/3.csv')]);
    s.state = recordAll(s);
    setSource(s, 'a', [
      buildFile('data/a/1.csv'),
      buildFile('data/a/2.csv', 'edited'),
      buildFile('data/a/4.csv'),
    ]);
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'changed');
    assert.equal(p.willRun, true);
    assert.deepEqual(p.changedFiles, ['data/a/2.csv', 'data/a/3.csv', 'data/a/4.csv']);
    assert.deepEqual(p.fileChanges, {
      added: ['data/a/4.csv'],
      removed: ['data/a/3.csv'],
      changed: ['data/a/2.csv'],
    });
    assert.deepEqual(p.changedParameters, []);
  });

  it('lists the API parameters whose value changed', () => {
    const s = buildScenario(buildImport('a'));
    s.state = recordAll(s);
    s.imports = [buildImport('a', { action: 'update', keyFields: ['Email', 'Id'], followups: true })];
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'changed');
    assert.deepEqual(p.changedParameters, ['action', 'followups', 'keyFields']);
    assert.deepEqual(p.changedFiles, []);
  });

  it('names a changed location URL and command argv as changed parameters', () => {
    const loc = buildImport('loc', { source: { kind: 'location', url: 'https://x.example/a.csv' } });
    const cmd = buildImport('cmd', { source: { kind: 'command', argv: ['./export.sh'], timeoutMs: 1000 } });
    const s = buildScenario(loc, cmd);
    setSource(s, 'loc', [], { kind: 'location' });
    setSource(s, 'cmd', [buildFile('<command>', 'out')], { kind: 'command' });
    s.state = recordAll(s);
    s.imports = [
      buildImport('loc', { source: { kind: 'location', url: 'https://x.example/b.csv' } }),
      buildImport('cmd', { source: { kind: 'command', argv: ['./export.sh', '--all'], timeoutMs: 1000 } }),
    ];
    const result = plan(s);
    assert.deepEqual(planned(result, 'loc').changedParameters, ['location']);
    assert.deepEqual(planned(result, 'cmd').changedParameters, ['command']);
  });

  it('marks an import whose source has errors invalid, naming each error', () => {
    const s = buildScenario(buildImport('a'));
    setSource(s, 'a', [
      buildFile('data/a/a.csv', 'x', { diagnostics: [errorDiagnostic('E_SOURCE_KEY_MISSING')] }),
    ]);
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'invalid');
    assert.equal(p.willRun, false);
    assert.match(p.reasons[0] ?? '', /E_SOURCE_KEY_MISSING.*data\/a\.csv:3:1/);
  });

  it('does not mark an import invalid for warnings', () => {
    const s = buildScenario(buildImport('a'));
    const warning = { ...errorDiagnostic('W_DUPLICATE_KEYS'), severity: 'warning' as const };
    setSource(s, 'a', [buildFile('data/a/a.csv', 'x', { diagnostics: [warning] })]);
    assert.equal(planned(plan(s), 'a').status, 'new');
  });

  it('marks an import without a resolved source invalid', () => {
    const s = buildScenario(buildImport('a'));
    s.sources.clear();
    const p = planned(plan(s), 'a');
    assert.equal(p.status, 'invalid');
    assert.equal(p.willRun, false);
  });

  it('counts the summary', () => {
    const s = buildScenario(buildImport('a'), buildImport('b'), buildImport('c'), buildImport('d'));
    s.state = recordAll(s);
    s.state = keepEntries(s.state, 'b', 'c');
    setSource(s, 'c', [buildFile('data/c/a.csv', 'x', { diagnostics: [errorDiagnostic('E_X')] })]);
    setSource(s, 'd', [buildFile('data/d/a.csv', 'x', { truncated: true })]);
    const result = plan(s);
    assert.deepEqual(result.summary, {
      toRun: 1,
      unchanged: 1,
      pending: 0,
      refused: 1,
      invalid: 1,
      skipped: 0,
      total: 4,
    });
  });
});
