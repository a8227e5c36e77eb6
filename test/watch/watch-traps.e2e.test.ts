// Watch mode's traps (issue #13 point 11): each error once, /status seeded from the state, the lock on a second signal.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { request } from 'undici';
import { runCliProcess } from '../helpers/cli.js';
import { CONTACTS, createWatchFixture, csv, type WatchFixture } from './helpers/watch-fixture.js';
import { spawnWatch, until, type WatchProcess } from './helpers/watch-process.js';

describe('watch: what a new user tripped over', () => {
  let fx: WatchFixture | undefined;
  let watch: WatchProcess | undefined;

  afterEach(async () => {
    await watch?.stop('SIGKILL');
    await fx?.close();
    watch = undefined;
    fx = undefined;
  });

  test('an invalid source prints its error once per pass', async () => {
    fx = await createWatchFixture({ 'data/a.csv': 'Mail,FirstName\na@x.nl,A\n' });
    watch = spawnWatch(['--debounce', '100'], { cwd: fx.dir, env: fx.env });
    await watch.waitFor(/watch: ready/);
    const count = () => (watch?.stderr().match(/E_SOURCE_KEY_MISSING/g) ?? []).length;
    await until('the error', () => (count() > 0 ? true : undefined));
    assert.equal(count(), 1, watch.stderr());
    assert.match(watch.stderr(), /contacts: invalid; waiting for a change/);
    fx.write('data/a.csv', 'Mail,FirstName\nb@x.nl,B\n');
    await until('the second pass', () => (count() > 1 ? true : undefined));
    const exit = await watch.stop('SIGTERM');
    assert.equal((exit.stderr.match(/E_SOURCE_KEY_MISSING/g) ?? []).length, 2, exit.stderr);
    assert.equal(fx.importPosts(), 0);
  });

  test('/status shows the row counts of the last pass, and only the changed rows are sent', async () => {
    fx = await createWatchFixture(
      { 'data/a.csv': csv('a@x.nl', 'b@x.nl', 'c@x.nl') },
      { imports: `${CONTACTS}\n    send: changes` },
    );
    const applied = await runCliProcess(['apply'], { cwd: fx.dir, env: fx.env });
    assert.equal(applied.exitCode, 0, applied.stderr);
    watch = spawnWatch(['--health-port', '0', '--debounce', '100'], { cwd: fx.dir, env: fx.env });
    const ready = await watch.waitFor(/health at (http:\/\/\S+)\/healthz/);
    const url = /health at (http:\/\/\S+)\/healthz/.exec(watch.stdout().slice(0, ready))?.[1] ?? '';
    await watch.waitFor(/watch: ready/);
    const before = fx.emulator.listImports().length;
    fx.write('data/a.csv', csv('a@x.nl', 'b@x.nl', 'c@x.nl', 'd@x.nl'));
    await until('the delta', () => (fx?.emulator.listImports()[before]?.lastrun ? true : undefined));
    const status = async () =>
      (
        (await (await request(`${url}/status`)).body.json()) as {
          imports: Array<{ name: string; rowChanges: unknown }>;
        }
      ).imports.find((i) => i.name === 'contacts')?.rowChanges;
    // The start-up pass said 0/0/0/3; the pass after the edit counts four rows.
    type Counts = { added: number; unchanged: number };
    const counts = await until('the row counts', async () => {
      const now = (await status()) as Counts | undefined;
      return now && now.added + now.unchanged === 4 ? now : undefined;
    });
    assert.deepEqual(counts, { added: 1, changed: 0, removed: 0, unchanged: 3 });
    assert.equal(fx.emulator.listImports()[before]?.totallines, 1, 'only the added row was sent');
  });

  test('/status shows runs from before the watch started, read from the state', async () => {
    fx = await createWatchFixture({ 'data/a.csv': csv('a@x.nl') });
    const applied = await runCliProcess(['apply'], { cwd: fx.dir, env: fx.env });
    assert.equal(applied.exitCode, 0, applied.stderr);
    const state = JSON.parse(readFileSync(join(fx.dir, '.copernica-sync/state.json'), 'utf8')) as {
      imports: Record<string, { appliedAt: string; importId: string }>;
    };
    watch = spawnWatch(['--health-port', '0'], { cwd: fx.dir, env: fx.env });
    const ready = await watch.waitFor(/health at (http:\/\/\S+)\/healthz/);
    const url = /health at (http:\/\/\S+)\/healthz/.exec(watch.stdout().slice(0, ready))?.[1] ?? '';
    const body = (await (await request(`${url}/status`)).body.json()) as {
      imports: Array<{
        name: string;
        lastRun: string | null;
        lastOutcome: string | null;
        importId: string | null;
      }>;
    };
    const contacts = body.imports.find((i) => i.name === 'contacts');
    assert.equal(contacts?.lastRun, state.imports.contacts?.appliedAt);
    assert.equal(contacts?.lastOutcome, 'finished');
    assert.equal(contacts?.importId, state.imports.contacts?.importId);
  });

  test('a second Ctrl-C exits 130 at once, and the lock goes with it', async () => {
    fx = await createWatchFixture({ 'data/a.csv': csv('a@x.nl') }, { importDelayMs: 60_000 });
    watch = spawnWatch(['--shutdown-timeout', '1m'], { cwd: fx.dir, env: fx.env });
    await watch.waitFor(/contacts: created Copernica import/);
    const lock = join(fx.dir, '.copernica-sync/state.json.lock');
    assert.equal(existsSync(lock), true);
    const current = watch;
    const exited = current.exited();
    process.kill(current.pid ?? 0, 'SIGINT');
    await current.waitFor(/watch: stopping; waiting up to 1 min for the start-up pass/);
    process.kill(current.pid ?? 0, 'SIGINT');
    const exit = await exited;
    assert.equal(exit.exitCode, 130);
    assert.equal(existsSync(lock), false, 'the lock is released');
  });
});
