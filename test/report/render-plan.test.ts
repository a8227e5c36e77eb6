import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planDiagnostics } from '../../src/plan/plan-diagnostics.js';
import type { Plan } from '../../src/plan/types.js';
import { renderPlanMarkdown, renderPlanNdjson, renderPlanText } from '../../src/report/render-plan.js';
import {
  buildFile,
  buildImport,
  buildScenario,
  errorDiagnostic,
  keepEntries,
  plan,
  recordAll,
  setSource,
} from '../plan/builders.js';

/** new, unchanged, refused, invalid and skipped, one each. */
function samplePlan(options = {}): Plan {
  const s = buildScenario(
    buildImport('customers'),
    buildImport('newsletter'),
    buildImport('orders', { dependsOn: ['wipe'] }),
    buildImport('broken'),
    buildImport('wipe', { action: 'delete' }),
  );
  s.state = recordAll(s);
  s.state = keepEntries(s.state, 'customers');
  setSource(s, 'broken', [
    buildFile('data/broken/a.csv', 'x', {
      diagnostics: [errorDiagnostic('E_SOURCE_QUOTE', 'data/broken/a.csv')],
    }),
  ]);
  setSource(s, 'wipe', [buildFile('data/wipe/a.csv', 'x', { blankKeys: 2 })]);
  return plan(s, options);
}

describe('plan renderers', () => {
  it('text: one line per import with status, name and reason, then the summary with the full hash', () => {
    const p = samplePlan();
    const lines = renderPlanText(p, { color: false, verbose: false }).trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, -1), [
      'invalid       broken      E_SOURCE_QUOTE: problem E_SOURCE_QUOTE (data/broken/a.csv:3:1)',
      'unchanged     customers   unchanged since 2026-01-02T03:04:05.000Z',
      'new           newsletter  never applied',
      'refused       wipe        E_GUARD_BLANK_KEYS: 2 records with blank key fields (Email), which action delete does not allow',
      'skipped       orders      skipped: depends on wipe which is refused',
    ]);
    assert.equal(
      lines.at(-1),
      `Plan: 1 to run, 1 unchanged, 1 refused, 1 invalid, 1 skipped. Plan hash ${p.hash}`,
    );
  });

  it('text, verbose: adds the other reasons and the files to run; hints print once, as diagnostics', () => {
    const text = renderPlanText(samplePlan(), { color: false, verbose: true });
    assert.doesNotMatch(text, /hint:/);
    assert.match(
      planDiagnostics(samplePlan())
        .map((d) => d.hint ?? '')
        .join('\n'),
      /^fill in or drop the records with blank keys; --allow-destructive runs it anyway$/m,
    );
    assert.match(text, /\n {14}never applied\n/);
  });

  it('text: colours only when asked', () => {
    assert.ok(!renderPlanText(samplePlan(), { color: false, verbose: false }).includes('\u001b['));
    assert.ok(renderPlanText(samplePlan(), { color: true, verbose: false }).includes('\u001b[31mrefused'));
  });

  it('text: says when a guard was passed by --allow-destructive', () => {
    const text = renderPlanText(samplePlan({ allowDestructive: true }), { color: false, verbose: false });
    assert.match(text, /^new {11}wipe {8}passed by --allow-destructive: E_GUARD_BLANK_KEYS/m);
    assert.match(text, /Plan: 3 to run/);
  });

  it('ndjson: one import event per import, then a summary with the hash', () => {
    const p = samplePlan();
    const events = renderPlanNdjson(p, false)
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(events.length, 6);
    assert.deepEqual(
      events.slice(0, 5).map((e) => [e.type, e.version, e.name, e.status]),
      [
        ['import', 1, 'broken', 'invalid'],
        ['import', 1, 'customers', 'unchanged'],
        ['import', 1, 'newsletter', 'new'],
        ['import', 1, 'wipe', 'refused'],
        ['import', 1, 'orders', 'new'],
      ],
    );
    assert.deepEqual(
      events[3].refusals.map((r: { code: string }) => r.code),
      ['E_GUARD_BLANK_KEYS'],
    );
    assert.deepEqual(events[5], { type: 'summary', version: 1, ...p.summary, hash: p.hash });
  });

  it('markdown: a table row per import and the summary with the hash', () => {
    const p = samplePlan();
    const md = renderPlanMarkdown(p);
    assert.match(md, /^\| status \| import \| action \| database \| rows \| row changes \| why \|$/m);
    assert.match(md, /^\| refused \| `wipe` \| delete \| 1 \| 10 \| {2}\| E_GUARD_BLANK_KEYS: .* \|$/m);
    assert.match(
      md,
      /^\| skipped \| `orders` \| update or add \| 1 \| 10 \| {2}\| skipped: depends on wipe which is refused; never applied \|$/m,
    );
    assert.ok(md.includes(`Plan hash \`${p.hash}\``));
    assert.equal(md.split('\n').filter((l) => l.startsWith('| ')).length, 6);
  });

  it('text and markdown: row changes and the prune as its own line', () => {
    const p = samplePlan();
    const wipe = p.imports.find((i) => i.name === 'newsletter');
    assert.ok(wipe);
    Object.assign(wipe, {
      rowChanges: { added: 120, changed: 45, removed: 3, unchanged: 10066 },
      sendRows: 165,
      prune: { keys: 3, of: 10069 },
    });
    const text = renderPlanText(p, { color: false, verbose: false });
    assert.match(text, /^ +rows \+120 ~45 −3 =10,066; sends 165 rows$/m);
    assert.match(text, /^prune +newsletter +delete 3 keys it sent before that the data no longer has$/m);
    assert.match(renderPlanMarkdown(p), /\| \+120 ~45 −3 =10,066; sends 165 rows; prune 3 \|/);
  });

  it('markdown: escapes pipes in reasons', () => {
    const s = buildScenario(buildImport('a'));
    setSource(s, 'a', [
      buildFile('data/a|b.csv', 'x', { diagnostics: [errorDiagnostic('E_X', 'data/a|b.csv')] }),
    ]);
    assert.match(renderPlanMarkdown(plan(s)), /data\/a\\\|b\.csv/);
  });
});

describe('planDiagnostics', () => {
  it('turns refusals into errors and overridden guards into warnings, with the import name', () => {
    const refused = planDiagnostics(samplePlan());
    assert.deepEqual(
      refused.map((d) => [d.severity, d.code, d.importName]),
      [['error', 'E_GUARD_BLANK_KEYS', 'wipe']],
    );
    assert.match(refused[0]?.hint ?? '', /--allow-destructive/);
    const passed = planDiagnostics(samplePlan({ allowDestructive: true }));
    assert.deepEqual(
      passed.map((d) => [d.severity, d.code]),
      [['warning', 'E_GUARD_BLANK_KEYS']],
    );
  });
});
