import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CopernicaSyncError } from '../../src/core/errors.js';
import { startEmulator } from '../../src/emulator/start-emulator.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { type ImportView, postJson, runImport, TEST_SEED, v3, waitFor } from './helpers.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'emulator');

describe('emulator import lifecycle', () => {
  it('goes ready for start -> running -> finished over importDelayMs', async (t) => {
    const emu = await startEmulator({ seed: TEST_SEED, token: 't', importDelayMs: 300 });
    t.after(() => emu.close());
    const created = await postJson(emu, 'imports', {
      database: 1,
      action: 'add',
      source: 'Email\nx@example.com\ny@example.com\n',
    });
    const id = String(created.headers['x-created']);
    const view = async () => (await v3(emu, `import/${id}`)).json() as ImportView;
    const first = await view();
    assert.deepEqual([first.status, first.lastrun, first.lasterror], ['ready for start', false, false]);
    await waitFor(async () => ((await view()).status === 'running' ? true : undefined));
    const done = await waitFor(async () => {
      const v = await view();
      return v.status === 'finished' ? v : undefined;
    });
    assert.deepEqual([done.totallines, done.processedlines], ['2', '2']);
    assert.notEqual(done.lastrun, false);
  });

  it('leaves an autostart:false import ready for start', async (t) => {
    const emu = await startEmulator({ seed: TEST_SEED, token: 't', importDelayMs: 0 });
    t.after(() => emu.close());
    const created = await postJson(emu, 'imports', {
      database: 1,
      action: 'add',
      autostart: false,
      source: 'Email\nx\n',
    });
    const id = String(created.headers['x-created']);
    await runImport(emu, { action: 'add', source: 'Email\nlater@example.com\n' });
    const view = (await v3(emu, `import/${id}`)).json() as ImportView;
    assert.equal(view.status, 'ready for start');
    assert.equal(emu.summarize()[0]?.profiles, 4);
  });

  it('reads a file:// location (only local files, never the network)', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-location-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'feed.csv'), 'Email;City\nbob@example.com;Mons\n');
    const emu = await startEmulator({ seed: TEST_SEED, token: 't', importDelayMs: 0 });
    t.after(() => emu.close());
    const location = `file://${join(dir, 'feed.csv')}`;
    await runImport(emu, { action: 'update', keyFields: ['Email'], delimiter: ';', location });
    assert.equal(emu.listProfiles(1).find((p) => p.fields.Email === 'bob@example.com')?.fields.City, 'Mons');
  });
});

describe('emulator seed and --data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-data-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a seed YAML file', async (t) => {
    const emu = await startEmulator({ seed: join(FIXTURES, 'small-seed.yaml'), token: 't' });
    t.after(() => emu.close());
    assert.deepEqual(emu.summarize(), [
      { id: 5, database: 'Members', profiles: 2, subprofiles: 1, collections: { Visits: 1 } },
    ]);
    assert.deepEqual(emu.listProfiles('Members')[1]?.fields, { Email: 'two@example.com', Level: '1' });
    const identity = (await v3(emu, 'identity')).json() as { name: string };
    assert.equal(identity.name, 'Fixture account');
  });

  it('uses examples/emulator-seed.yaml without a seed', async (t) => {
    const emu = await startEmulator({ token: 't' });
    t.after(() => emu.close());
    const names = emu.summarize().map((s) => s.database);
    assert.deepEqual(names, ['Newsletter', 'Leads']);
    assert.ok((emu.summarize()[0]?.profiles ?? 0) > 0);
  });

  it('refuses a seed that names an unknown field with E_EMULATOR_SEED', async () => {
    await assert.rejects(
      startEmulator({ seed: join(FIXTURES, 'unknown-field-seed.yaml') }),
      (e: unknown) => e instanceof CopernicaSyncError && e.code === 'E_EMULATOR_SEED',
    );
    await assert.rejects(
      startEmulator({ seed: join(FIXTURES, 'missing.yaml') }),
      (e: unknown) => e instanceof CopernicaSyncError && e.code === 'E_EMULATOR_SEED',
    );
  });

  it('persists imports and their effects across a restart, without the token', async () => {
    const dataFile = join(dir, 'data.json');
    const first = await startEmulator({
      seed: TEST_SEED,
      token: 'secret-token-123',
      dataFile,
      importDelayMs: 0,
    });
    const done = await runImport(first, { action: 'add', source: 'Email\nkept@example.com\n' });
    await first.close();
    assert.ok(!readFileSync(dataFile, 'utf8').includes('secret-token-123'));
    const second = await startEmulator({ seed: { databases: [] }, token: 't2', dataFile, importDelayMs: 0 });
    try {
      assert.ok(second.listProfiles(1).some((p) => p.fields.Email === 'kept@example.com'));
      const view = (await v3(second, `import/${done.ID}`)).json() as ImportView;
      assert.equal(view.status, 'finished');
      const next = await postJson(second, 'imports', { database: 1, action: 'add', source: 'Email\nz\n' });
      assert.equal(Number(next.headers['x-created']), Number(done.ID) + 1, 'IDs continue after a restart');
    } finally {
      await second.close();
    }
  });

  it('marks an import that was running when the emulator stopped as failed after a restart', async () => {
    const dataFile = join(dir, 'interrupted.json');
    const first = await startEmulator({ seed: TEST_SEED, token: 't', dataFile, importDelayMs: 0 });
    const done = await runImport(first, { action: 'add', source: 'Email\nx@example.com\n' });
    await first.close();
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp file left behind',
    );
    // What a stop between "running" and "finished" leaves behind.
    const data = JSON.parse(readFileSync(dataFile, 'utf8')) as { imports: Array<Record<string, unknown>> };
    Object.assign(data.imports[0] ?? {}, { status: 'running', lastrun: false });
    writeFileSync(dataFile, JSON.stringify(data));
    const second = await startEmulator({ token: 't', dataFile, importDelayMs: 0 });
    try {
      const view = (await v3(second, `import/${done.ID}`)).json() as ImportView;
      assert.equal(view.status, 'error');
      assert.match(String(view.lasterror), /stopped/);
    } finally {
      await second.close();
    }
  });

  it("refuses a data file that is not the emulator's with E_EMULATOR_DATA", async () => {
    const dataFile = join(dir, 'broken.json');
    writeFileSync(dataFile, '{"hello": 1}');
    await assert.rejects(
      startEmulator({ dataFile }),
      (e: unknown) => e instanceof CopernicaSyncError && e.code === 'E_EMULATOR_DATA',
    );
  });
});
