import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { CopernicaSyncError } from '../../src/core/errors.js';
import { EXIT } from '../../src/core/exit-codes.js';
import { canonicalJson } from '../../src/plan/canonical-json.js';
import type { PlannedImport } from '../../src/plan/types.js';
import {
  buildFile,
  buildImport,
  buildScenario,
  keepEntries,
  plan,
  planned,
  recordAll,
  setSource,
} from './builders.js';

const names = (imports: readonly PlannedImport[]) => imports.map((p) => p.name);

describe('planner order and --only', () => {
  it('orders dependencies first, ties by name, whatever the file order', () => {
    const s = buildScenario(
      buildImport('zeta'),
      buildImport('orders', { dependsOn: ['zeta', 'customers'] }),
      buildImport('customers'),
      buildImport('alpha', { dependsOn: ['orders'] }),
    );
    assert.deepEqual(names(plan(s).imports), ['customers', 'zeta', 'orders', 'alpha']);
    s.imports.reverse();
    assert.deepEqual(names(plan(s).imports), ['customers', 'zeta', 'orders', 'alpha']);
  });

  it('--only selects imports and pulls in their dependencies transitively', () => {
    const s = buildScenario(
      buildImport('a', { dependsOn: ['b'] }),
      buildImport('b', { dependsOn: ['c'] }),
      buildImport('c'),
      buildImport('d'),
    );
    assert.deepEqual(names(plan(s, { only: ['a'] }).imports), ['c', 'b', 'a']);
    assert.deepEqual(names(plan(s, { only: ['d', 'b'] }).imports), ['c', 'b', 'd']);
    assert.deepEqual(names(plan(s, { only: [] }).imports), ['c', 'b', 'a', 'd']);
  });

  it('--only with an unknown name throws E_USAGE_ONLY (exit 64) listing the known names', () => {
    const s = buildScenario(buildImport('b'), buildImport('a'));
    assert.throws(
      () => plan(s, { only: ['a', 'nope'] }),
      (error: unknown) =>
        error instanceof CopernicaSyncError &&
        error.code === 'E_USAGE_ONLY' &&
        error.exitCode === EXIT.usage &&
        /nope/.test(error.message) &&
        /a, b/.test(error.hint ?? ''),
    );
  });

  it('skips an import whose dependency is refused or invalid, transitively', () => {
    const s = buildScenario(
      buildImport('base'),
      buildImport('mid', { dependsOn: ['base'] }),
      buildImport('top', { dependsOn: ['mid'] }),
      buildImport('other'),
    );
    setSource(s, 'base', [buildFile('data/base/a.csv', 'x', { truncated: true })]);
    const result = plan(s);
    assert.equal(planned(result, 'base').status, 'refused');
    const mid = planned(result, 'mid');
    assert.equal(mid.status, 'new');
    assert.equal(mid.willRun, false);
    assert.deepEqual(mid.blockedBy, ['base']);
    assert.equal(mid.reasons[0], 'skipped: depends on base which is refused');
    assert.equal(planned(result, 'top').reasons[0], 'skipped: depends on mid which is skipped');
    assert.equal(planned(result, 'other').willRun, true);
    assert.equal(result.summary.skipped, 2);
    assert.equal(result.summary.toRun, 1);
  });

  it('does not skip an import whose dependency is merely unchanged', () => {
    const s = buildScenario(buildImport('base'), buildImport('mid', { dependsOn: ['base'] }));
    s.state = recordAll(s);
    s.state = keepEntries(s.state, 'base');
    const mid = planned(plan(s), 'mid');
    assert.equal(mid.willRun, true);
    assert.equal(mid.blockedBy, undefined);
  });
});

describe('plan hash', () => {
  const build = () =>
    buildScenario(
      buildImport('b', { dependsOn: ['a'] }),
      buildImport('a'),
      buildImport('c', { removeMissing: true }),
    );

  it('is a sha256 hex over the canonical JSON of the imports', () => {
    const result = plan(build());
    assert.match(result.hash, /^[0-9a-f]{64}$/);
    assert.equal(result.hash, createHash('sha256').update(canonicalJson(result.imports)).digest('hex'));
  });

  it('is the same for the same input in another import order and object-key order', () => {
    const first = plan(build());
    const shuffled = build();
    shuffled.imports.reverse();
    shuffled.imports = shuffled.imports.map(
      (def) => Object.fromEntries(Object.entries(def).reverse()) as unknown as typeof def,
    );
    shuffled.sources = new Map([...shuffled.sources].reverse());
    assert.equal(plan(shuffled).hash, first.hash);
  });

  it('changes with any material change', () => {
    const base = plan(build()).hash;
    const edited = build();
    setSource(edited, 'a', [buildFile('data/a/a.csv', 'edited')]);
    assert.notEqual(plan(edited).hash, base, 'file content');
    const param = build();
    param.imports = param.imports.map((d) => (d.name === 'c' ? { ...d, followups: true } : d));
    assert.notEqual(plan(param).hash, base, 'parameter');
    const applied = build();
    applied.state = recordAll(applied);
    assert.notEqual(plan(applied).hash, base, 'state');
    assert.notEqual(plan(applied, { force: true }).hash, plan(applied).hash, '--force');
    assert.notEqual(plan(build(), { only: ['a'] }).hash, base, '--only');
  });
});
