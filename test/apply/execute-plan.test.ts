import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApplyEvent } from '../../src/apply/events.js';
import { type ExecuteInput, executePlan, type RunRecord } from '../../src/apply/execute-plan.js';
import type { ImportApi } from '../../src/apply/import-request.js';
import type { ImportDefinition } from '../../src/config/types.js';
import type { ImportRequest } from '../../src/copernica/import-body.js';
import { CopernicaSyncError } from '../../src/core/errors.js';
import { planImports } from '../../src/plan/planner.js';
import type { ResolvedSource } from '../../src/sources/types.js';
import { createEmptyState } from '../../src/state/types.js';
import { buildFile, buildImport, buildSource } from '../plan/builders.js';

interface FakeCall {
  name: string;
  database: unknown;
}

/** A fake API that records calls, tracks how many imports run at once per database, and can fail by import name. */
function createFakeApi(behaviour: Record<string, 'fail' | 'unknown' | 'wait-fail'> = {}) {
  const calls: FakeCall[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const busy = new Set<unknown>();
  let overlapOnDatabase = false;
  let nextId = 100;
  const api: ImportApi = {
    async createImport(request: ImportRequest) {
      const name = String(request.parameters.name).split(' ')[0] ?? '';
      const database = request.parameters.database;
      calls.push({ name, database });
      if (busy.has(database)) overlapOnDatabase = true;
      busy.add(database);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      busy.delete(database);
      if (behaviour[name] === 'fail') throw new CopernicaSyncError('E_API_STATUS', 'Invalid data provided');
      if (behaviour[name] === 'unknown')
        throw new CopernicaSyncError('E_API_UNKNOWN_OUTCOME', 'may or may not have been imported');
      nextId += 1;
      return { id: String(nextId) };
    },
    async waitForImport(id: string) {
      const call = calls.find((c) => c.name && behaviour[c.name] === 'wait-fail');
      if (call && id) throw new CopernicaSyncError('E_IMPORT_FAILED', 'source could not be read');
      return { lastrun: '2026-01-01 00:00:00' };
    },
  };
  return { api, calls, stats: () => ({ maxInFlight, overlapOnDatabase }) };
}

function setup(defs: ImportDefinition[], overrides: Partial<ExecuteInput> = {}) {
  const sources = new Map<string, ResolvedSource>(
    defs.map((d) => [
      d.name,
      buildSource(d.name, [buildFile(`data/${d.name}/a.csv`), buildFile(`data/${d.name}/b.csv`)]),
    ]),
  );
  const plan = planImports({
    imports: defs.map((definition) => ({
      definition,
      source: sources.get(definition.name),
      live: { databaseId: Number(definition.database), diagnostics: [] },
    })),
    state: createEmptyState(),
    options: { force: false, allowDestructive: false },
  });
  const records: RunRecord[] = [];
  const events: ApplyEvent[] = [];
  const input = (api: ImportApi): ExecuteInput => ({
    records: plan.imports.map((planned) => ({
      definition: defs.find((d) => d.name === planned.name) as ImportDefinition,
      source: sources.get(planned.name),
      planned,
    })),
    api,
    concurrency: 2,
    wait: true,
    waitTimeoutMs: 1000,
    signal: new AbortController().signal,
    now: () => 0,
    record: async (run) => {
      records.push(run);
    },
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  return { input, records, events, plan };
}

describe('executePlan', () => {
  it('runs dependencies first and never two imports on one database at once', async () => {
    const defs = [
      buildImport('orders', { database: 1, dependsOn: ['profiles'] }),
      buildImport('profiles', { database: 1 }),
      buildImport('other', { database: 2 }),
      buildImport('more', { database: 1 }),
    ];
    const { input, records } = setup(defs);
    const fake = createFakeApi();
    const results = await executePlan(input(fake.api));
    const order = fake.calls.map((c) => c.name);
    assert.ok(order.indexOf('profiles') < order.indexOf('orders'));
    assert.equal(fake.stats().overlapOnDatabase, false);
    assert.ok(fake.stats().maxInFlight <= 2);
    assert.deepEqual([...results.values()].map((r) => r.outcome).sort(), [
      'finished',
      'finished',
      'finished',
      'finished',
    ]);
    // Each import is recorded as submitted (after its 201) and then as finished.
    for (const name of ['orders', 'profiles', 'other', 'more']) {
      assert.deepEqual(
        records.filter((r) => r.name === name).map((r) => r.outcome),
        ['submitted', 'finished'],
      );
    }
  });

  it('skips the dependents of a failed import and still runs independent ones', async () => {
    const defs = [
      buildImport('profiles', { database: 1 }),
      buildImport('orders', { database: 2, dependsOn: ['profiles'] }),
      buildImport('other', { database: 3 }),
    ];
    const { input, events, records } = setup(defs);
    const fake = createFakeApi({ profiles: 'fail' });
    const results = await executePlan(input(fake.api));
    assert.equal(results.get('profiles')?.outcome, 'failed');
    assert.equal(results.get('profiles')?.diagnostic?.code, 'E_API_STATUS');
    assert.equal(results.get('orders')?.outcome, 'skipped');
    assert.equal(results.get('other')?.outcome, 'finished');
    assert.ok(
      events.some((e) => e.type === 'import-skipped' && e.name === 'orders' && e.because === 'profiles'),
    );
    assert.deepEqual(
      records.filter((r) => r.name === 'profiles').map((r) => r.outcome),
      ['failed'],
    );
  });

  it('records an unknown outcome when Copernica may or may not have imported', async () => {
    const { input, records } = setup([buildImport('adds', { action: 'add', keyFields: [] })]);
    const results = await executePlan(input(createFakeApi({ adds: 'unknown' }).api));
    assert.equal(results.get('adds')?.outcome, 'unknown');
    assert.deepEqual(
      records.map((r) => r.outcome),
      ['unknown'],
    );
  });

  it('fails an import whose Copernica run reports lasterror, keeping its import ID', async () => {
    const { input, records } = setup([buildImport('bad')]);
    const results = await executePlan(input(createFakeApi({ bad: 'wait-fail' }).api));
    assert.equal(results.get('bad')?.outcome, 'failed');
    assert.equal(results.get('bad')?.diagnostic?.code, 'E_IMPORT_FAILED');
    assert.deepEqual(
      records.map((r) => [r.outcome, r.importId]),
      [
        ['submitted', '101'],
        ['failed', '101'],
      ],
    );
  });

  it('with wait off, records submitted and does not poll', async () => {
    const { input, records } = setup([buildImport('quick')], { wait: false });
    const results = await executePlan(input(createFakeApi({ quick: 'wait-fail' }).api));
    assert.equal(results.get('quick')?.outcome, 'submitted');
    assert.deepEqual(
      records.map((r) => r.outcome),
      ['submitted'],
    );
  });

  it('per-file mode sends one import per file that runs', async () => {
    const { input, records } = setup([buildImport('inbox', { mode: 'per-file' })]);
    const fake = createFakeApi();
    await executePlan(input(fake.api));
    assert.equal(fake.calls.length, 2);
    assert.deepEqual(
      records.filter((r) => r.outcome === 'finished').map((r) => r.file),
      ['data/inbox/a.csv', 'data/inbox/b.csv'],
    );
  });

  it('starts nothing once interrupted and reports the rest as skipped', async () => {
    const controller = new AbortController();
    controller.abort();
    const { input } = setup([buildImport('a'), buildImport('b', { database: 2 })], {
      signal: controller.signal,
    });
    const fake = createFakeApi();
    const results = await executePlan(input(fake.api));
    assert.equal(fake.calls.length, 0);
    assert.deepEqual(
      [...results.values()].map((r) => r.outcome),
      ['skipped', 'skipped'],
    );
  });
});
