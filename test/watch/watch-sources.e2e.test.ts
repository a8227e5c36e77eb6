// `watch` end to end against the in-process emulator: start-up import, edits, touches, saves, new/deleted files, a burst.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { createWatchFixture, csv, type WatchFixture } from './helpers/watch-fixture.js';
import { spawnWatch, until, type WatchProcess } from './helpers/watch-process.js';

const FINISHED = /✓ contacts: finished/;

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await request(url);
  return { status: response.statusCode, body: await response.body.json() };
}

interface ImportStatus {
  name: string;
  phase: string;
  queued: boolean;
  pendingChanges: number;
  lastOutcome: string | null;
  lastRun: string | null;
}

describe('watch: source changes', () => {
  let fx: WatchFixture;
  let watch: WatchProcess;
  let health = '';
  const emails = () => fx.emulator.listProfiles(1).map((p) => p.fields.Email);
  const status = async () =>
    ((await getJson(`${health}/status`)).body as { imports: ImportStatus[] }).imports[0];

  before(async () => {
    fx = await createWatchFixture({ 'data/a.csv': csv('start@x.nl') });
    watch = spawnWatch(['--debounce', '150', '--health-port', '0'], { cwd: fx.dir, env: fx.env });
    const end = await watch.waitFor(/watch: ready.*health at (http:\/\/\S+)\/healthz/);
    health = /health at (http:\/\/\S+)\/healthz/.exec(watch.stdout().slice(0, end))?.[1] ?? '';
  });

  after(async () => {
    await watch?.stop();
    await fx?.close();
  });

  test('applies what changed while nobody watched, before the ready line', () => {
    const out = watch.stdout();
    assert.ok(out.indexOf('✓ contacts: finished') < out.indexOf('watch: ready'), out);
    assert.equal(fx.importPosts(), 1);
    assert.ok(emails().includes('start@x.nl'));
    assert.match(out, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /m, 'lines carry a timestamp');
  });

  test('health endpoints: /healthz 200, /status per import', async () => {
    const healthz = await getJson(`${health}/healthz`);
    assert.equal(healthz.status, 200);
    assert.deepEqual(healthz.body, { ok: true });
    const s = await status();
    assert.equal(s?.name, 'contacts');
    assert.equal(s?.lastOutcome, 'finished');
    assert.ok(s?.lastRun);
    assert.equal(s?.pendingChanges, 0);
    assert.equal((await request(`${health}/nope`)).statusCode, 404);
  });

  test('a content change imports once', async () => {
    const from = watch.mark();
    fx.write('data/a.csv', csv('start@x.nl', 'second@x.nl'));
    await watch.waitFor(FINISHED, from);
    assert.equal(fx.importPosts(), 2);
    assert.ok(emails().includes('second@x.nl'));
  });

  test('a touch without a content change imports nothing', async () => {
    const from = watch.mark();
    const now = new Date();
    utimesSync(join(fx.dir, 'data/a.csv'), now, now);
    await watch.waitFor(/contacts: content unchanged, nothing to import/, from);
    assert.equal(fx.importPosts(), 2);
    assert.doesNotMatch(watch.stdout().slice(from), /Plan:/, 'no plan printed for a touch');
  });

  test("an editor's atomic save (temp file renamed over) imports once", async () => {
    const from = watch.mark();
    fx.atomicWrite('data/a.csv', csv('start@x.nl', 'second@x.nl', 'saved@x.nl'));
    await watch.waitFor(FINISHED, from);
    assert.equal(fx.importPosts(), 3);
    assert.ok(emails().includes('saved@x.nl'));
    assert.doesNotMatch(watch.stdout().slice(from), /a\.csv\.swp/, 'the temp file is not a source');
  });

  test('a new file matching the glob is imported with the rest', async () => {
    const from = watch.mark();
    fx.write('data/b.csv', csv('new@x.nl'));
    await watch.waitFor(/add data\/b\.csv \(contacts\)/, from);
    await watch.waitFor(FINISHED, from);
    assert.equal(fx.importPosts(), 4);
    assert.ok(emails().includes('new@x.nl'));
  });

  test('a deleted file changes the data set: imported again without it', async () => {
    const from = watch.mark();
    rmSync(join(fx.dir, 'data/b.csv'));
    await watch.waitFor(/unlink data\/b\.csv \(contacts\)/, from);
    await watch.waitFor(FINISHED, from);
    assert.equal(fx.importPosts(), 5);
    assert.match(watch.stdout().slice(from), /files removed: data\/b\.csv/);
  });

  test('a file no glob matches is ignored', async () => {
    const from = watch.mark();
    fx.write('data/notes.txt', 'hello');
    fx.write('data/a.csv', csv('start@x.nl', 'second@x.nl', 'saved@x.nl', 'after-txt@x.nl'));
    await watch.waitFor(FINISHED, from);
    assert.doesNotMatch(watch.stdout().slice(from), /notes\.txt/);
    assert.equal(fx.importPosts(), 6);
  });

  test('a burst of 50 writes gives one or two imports, ending on the last content', async () => {
    const before = fx.importPosts();
    const from = watch.mark();
    for (let i = 0; i < 50; i++) fx.write('data/a.csv', csv('start@x.nl', `burst${i}@x.nl`));
    await watch.waitFor(FINISHED, from);
    await until('the import to go idle', async () => {
      const s = await status();
      return s?.phase === 'idle' && !s.queued && s.pendingChanges === 0 ? true : undefined;
    });
    const runs = fx.importPosts() - before;
    assert.ok(runs === 1 || runs === 2, `${runs} imports`);
    assert.ok(emails().includes('burst49@x.nl'));
  });

  test('SIGTERM when idle: exit 0, state written, lock released', async () => {
    const exit = await watch.stop('SIGTERM');
    assert.equal(exit.exitCode, 0, exit.stderr);
    assert.match(exit.stdout, /watch: stopped/);
    const state = JSON.parse(readFileSync(join(fx.dir, '.copernica-sync/state.json'), 'utf8'));
    assert.equal(state.imports.contacts.outcome, 'finished');
    const cached = Object.keys(state.hashCache as Record<string, unknown>).map((p) =>
      p.replaceAll('\\', '/'),
    );
    assert.ok(cached.some((p) => p.endsWith('/data/a.csv')));
    assert.ok(!cached.some((p) => p.endsWith('/data/b.csv')), 'the deleted file left the hash cache');
    assert.throws(() => readFileSync(join(fx.dir, '.copernica-sync/state.json.lock')), /ENOENT/);
  });
});
