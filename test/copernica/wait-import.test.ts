import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { isSet } from '../../src/copernica/wait-import.js';
import { CopernicaSyncError } from '../../src/core/errors.js';
import type { Step } from './helpers/scripted-server.js';
import { closeTestResources, createTestClient, serve } from './helpers/test-client.js';

after(closeTestResources);

const status = (extra: Record<string, unknown>): Step => ({
  body: JSON.stringify({
    ID: '12',
    name: 'n',
    status: 'ready for start',
    lastrun: false,
    lasterror: false,
    ...extra,
  }),
});

/** A client whose sleeps advance a fake clock, so the wait timeout is reached without real waiting. */
async function setup(steps: Step[]) {
  const server = await serve(steps);
  let clock = 0;
  const test = createTestClient(server.url, {
    now: () => clock,
    sleep: async (ms) => {
      test.sleeps.push(ms);
      clock += ms;
    },
  });
  return { server, ...test };
}

describe('waitForImport', () => {
  it('polls with growing pauses until lastrun is set', async () => {
    const { client, server, sleeps, events } = await setup([
      status({}),
      status({ status: 'running', processedlines: '5' }),
      status({ status: 'whatever', lastrun: '' }),
      status({ status: 'finished', lastrun: '2026-01-01 10:00:00' }),
    ]);
    const seen: string[] = [];
    const done = await client.waitForImport('12', {
      timeoutMs: 60_000,
      onProgress: (s) => seen.push(String(s.status)),
    });
    assert.equal(done.lastrun, '2026-01-01 10:00:00');
    assert.deepEqual(seen, ['ready for start', 'running', 'whatever', 'finished']);
    assert.deepEqual(sleeps, [250, 400, 640]);
    assert.equal(server.requests[0]?.path, '/v3/import/12');
    assert.ok(events.every((e) => e.type === 'poll'));
  });

  it('fails with E_IMPORT_FAILED when lasterror is set', async () => {
    const { client } = await setup([status({}), status({ lasterror: 'Invalid data provided' })]);
    await assert.rejects(
      client.waitForImport('12', { timeoutMs: 60_000 }),
      (e: unknown) =>
        e instanceof CopernicaSyncError &&
        e.code === 'E_IMPORT_FAILED' &&
        /Invalid data provided/.test(e.message),
    );
  });

  it('gives up after the wait timeout with the import ID and a hint', async () => {
    const { client, sleeps } = await setup(Array.from({ length: 50 }, () => status({})));
    const error = await client.waitForImport('12', { timeoutMs: 20_000 }).catch((e: unknown) => e);
    assert.ok(error instanceof CopernicaSyncError && error.code === 'E_IMPORT_WAIT_TIMEOUT', String(error));
    assert.match(error.message, /12/);
    assert.match(error.hint ?? '', /status --live/);
    assert.equal(
      sleeps.reduce((a, b) => a + b, 0),
      20_000,
    );
    assert.ok(sleeps.every((ms) => ms <= 5000));
  });

  it('reads absent timestamps as not set', () => {
    assert.deepEqual(
      [false, null, undefined, '', '0000-00-00 00:00:00', 'false', '2026-01-01 00:00:00', 'boom'].map(isSet),
      [false, false, false, false, false, false, true, true],
    );
  });
});
