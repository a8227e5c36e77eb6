// Imports recorded as submitted are asked about before anything else runs (issue #12 point 6).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/start-emulator.js';
import { importsYaml, useProjects } from './helpers.js';

const project = useProjects();
const CSV = 'Email,Name\nann@example.com,Ann\nzed@example.com,Zed\n';

/** Waits for the emulator to finish (or fail) every import it accepted, by polling its own record. */
async function settled(emulator: Emulator): Promise<void> {
  for (;;) {
    if (emulator.listImports().every((i) => i.lastrun !== false || i.lasterror !== false)) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('submitted imports are resolved first', () => {
  it('a --no-wait import that finished in Copernica is recorded finished, and nothing is sent again', async () => {
    const p = await project({
      'imports.yaml': importsYaml('  people: { database: Newsletter, keyFields: [Email], source: a.csv }'),
      'a.csv': CSV,
    });
    const first = await p.cli(['apply', '--no-wait']);
    assert.equal(first.exitCode, 0, first.stderr);
    assert.equal(p.state().imports.people?.outcome, 'submitted');
    const plan = await p.cli(['plan', '--detailed-exitcode'], { COPERNICA_ACCESS_TOKEN: undefined });
    assert.equal(plan.exitCode, 2, 'offline, a pending import counts as to run');
    assert.match(
      plan.stdout,
      /^pending\s+people\s+submitted as Copernica import \d+ at \S+; outcome not checked$/m,
    );
    await settled(p.emulator);
    const again = await p.cli(['apply']);
    assert.equal(again.exitCode, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /^people: Copernica import \d+ has finished$/m);
    assert.equal(p.posts(), 1, 'nothing is sent again');
    assert.equal(p.state().imports.people?.outcome, 'finished');
  });

  it('a --no-wait import that failed in Copernica is read as failed and runs again', async () => {
    // A subprofile delete keyed on a profile field: Copernica (and the emulator) fails it after accepting it.
    const yaml = importsYaml(
      '  people: { database: Newsletter, action: delete, deleteTarget: subprofile, keyFields: [Email], source: a.csv }',
    );
    const p = await project({ 'imports.yaml': yaml, 'a.csv': CSV });
    assert.equal((await p.cli(['apply', '--no-wait'])).exitCode, 0);
    await settled(p.emulator);
    const again = await p.cli(['apply']);
    assert.match(again.stdout, /^people: Copernica import \d+ has failed: import \d+ failed in Copernica: /m);
    assert.match(again.stdout, /^failed-before\s+people\s+last run failed/m);
    assert.equal(p.posts(), 2, 'the failed import ran again');
    assert.equal(again.exitCode, 1, 'and failed again');
    assert.equal(p.state().imports.people?.outcome, 'failed');
  });

  it('status with the token asks Copernica and records the outcome', async () => {
    const p = await project({
      'imports.yaml': importsYaml('  people: { database: Newsletter, keyFields: [Email], source: a.csv }'),
      'a.csv': CSV,
    });
    assert.equal((await p.cli(['apply', '--no-wait'])).exitCode, 0);
    await settled(p.emulator);
    const status = await p.cli(['status']);
    assert.equal(status.exitCode, 0, status.stdout + status.stderr);
    assert.match(status.stdout, /^people: finished at /m);
    assert.equal(p.state().imports.people?.outcome, 'finished');
  });

  it('an add that failed after Copernica accepted it (part of it may be in) runs again only with --force', async () => {
    const yaml = importsYaml('  leads: { database: Leads, action: add, source: a.csv }');
    const p = await project({ 'imports.yaml': yaml, 'a.csv': CSV });
    p.emulator.faults.next(1, 'import-error', { method: 'POST', path: '/imports' });
    const first = await p.cli(['apply']);
    assert.equal(first.exitCode, 1, first.stdout + first.stderr);
    assert.equal(p.emulator.listProfiles('Leads').length, 1, 'the failed import left its first row');
    const refused = await p.cli(['apply']);
    assert.equal(refused.exitCode, 3, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /E_GUARD_UNKNOWN_OUTCOME .*failed and may have been imported in part/);
    assert.equal(p.posts(), 1, 'nothing was sent again');
    const forced = await p.cli(['apply', '--force']);
    assert.equal(forced.exitCode, 0, forced.stdout + forced.stderr);
    assert.equal(p.posts(), 2);
  });
});
