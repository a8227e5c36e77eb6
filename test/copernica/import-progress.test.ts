// Import progress under either spelling: the docs list `processedlines`, their example shows `processedLines`.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ApplyEvent } from '../../src/apply/events.js';
import { executePlan } from '../../src/apply/execute-plan.js';
import { normalizeImportStatus, readImportLines } from '../../src/copernica/import-progress.js';
import type { ImportStatus } from '../../src/copernica/types.js';
import { planImports } from '../../src/plan/planner.js';
import { createEmptyState } from '../../src/state/types.js';
import { buildFile, buildImport, buildSource } from '../plan/builders.js';
import { closeTestResources, createTestClient, serve } from './helpers/test-client.js';

after(closeTestResources);

const base: ImportStatus = { ID: '12', status: 'running', lastrun: false, lasterror: false };

describe('readImportLines', () => {
  it('reads lowercase, camelCase, strings and numbers, and nothing when absent', () => {
    assert.deepEqual(readImportLines({ processedlines: '5', totallines: '9' }), { processed: 5, total: 9 });
    assert.deepEqual(readImportLines({ processedLines: '5', totalLines: 9 }), { processed: 5, total: 9 });
    assert.deepEqual(readImportLines({ processedlines: false, totalLines: 'x' }), {
      processed: undefined,
      total: undefined,
    });
  });

  it('normalizeImportStatus fills the lowercase names, keeping the values as sent', () => {
    const status = normalizeImportStatus({ ...base, processedLines: '5', totalLines: '9' });
    assert.equal(status.processedlines, '5');
    assert.equal(status.totallines, '9');
    assert.equal(normalizeImportStatus({ ...base, processedlines: '1' }).processedlines, '1');
  });
});

describe('the client and the executor read processedLines', () => {
  it('getImport and waitForImport report the camelCase counts under the lowercase names', async () => {
    const body = (extra: Record<string, unknown>) => ({ body: JSON.stringify({ ...base, ...extra }) });
    const server = await serve([
      body({ processedLines: '5', totalLines: '9' }),
      body({ processedLines: '7', totalLines: '9' }),
      body({ processedLines: '9', totalLines: '9', lastrun: '2026-01-01 10:00:00' }),
    ]);
    const { client } = createTestClient(server.url);
    const first = await client.getImport('12');
    assert.deepEqual([first.processedlines, first.totallines], ['5', '9']);
    const seen: Array<[unknown, unknown]> = [];
    await client.waitForImport('12', {
      timeoutMs: 60_000,
      onProgress: (s) => seen.push([s.processedlines, s.totallines]),
    });
    assert.deepEqual(seen, [
      ['7', '9'],
      ['9', '9'],
    ]);
  });

  it('apply’s import-progress events carry the counts from either spelling', async () => {
    const def = buildImport('members', { database: 1 });
    const source = buildSource('members', [buildFile('data/members/a.csv')]);
    const record = { definition: def, source, live: { databaseId: 1, diagnostics: [] } };
    const plan = planImports({
      imports: [record],
      state: createEmptyState(),
      options: { force: false, allowDestructive: false },
    });
    const events: ApplyEvent[] = [];
    await executePlan({
      records: [{ ...record, planned: plan.imports[0] }],
      api: {
        createImport: async () => ({ id: '7' }),
        waitForImport: async (_id, options) => {
          options.onProgress?.({ status: 'running', processedLines: '3', totalLines: '8' });
          options.onProgress?.({ status: 'finished', processedlines: 8, totallines: 8 });
          return {};
        },
      },
      concurrency: 1,
      wait: true,
      waitTimeoutMs: 1000,
      signal: new AbortController().signal,
      now: () => 0,
      record: async () => {},
      onEvent: (e) => events.push(e),
    });
    const progress = events.flatMap((e) => (e.type === 'import-progress' ? [[e.processed, e.total]] : []));
    assert.deepEqual(progress, [
      [3, 8],
      [8, 8],
    ]);
  });
});
