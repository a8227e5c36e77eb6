// `watch` end to end when things go wrong: the API down then back, and SIGTERM while an import runs.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { CONTACTS, createWatchFixture, csv, type WatchFixture } from './helpers/watch-fixture.js';
import { spawnWatch, until, type WatchProcess } from './helpers/watch-process.js';

const FINISHED = /✓ contacts: finished/;

function readState(fx: WatchFixture) {
  return JSON.parse(readFileSync(join(fx.dir, '.copernica-sync/state.json'), 'utf8')) as {
    imports: Record<string, { outcome: string; importId?: string; error?: string }>;
  };
}

describe('watch: failures', () => {
  let fx: WatchFixture | undefined;
  let watch: WatchProcess | undefined;

  afterEach(async () => {
    await watch?.stop('SIGKILL');
    await fx?.close();
    watch = undefined;
    fx = undefined;
  });

  test('the API down then back: the failure backs off and the retry imports; the process lives on', async () => {
    fx = await createWatchFixture({ 'data/a.csv': csv('a@x.nl') });
    watch = spawnWatch(['--debounce', '100', '--retry-backoff', '300ms', '--max-backoff', '600ms'], {
      cwd: fx.dir,
      env: fx.env,
    });
    await watch.waitFor(/watch: ready/);
    await fx.stopEmulator();
    const from = watch.mark();
    fx.write('data/a.csv', csv('a@x.nl', 'down@x.nl'));
    await watch.waitFor(/contacts: failure 1 in a row; trying again in 300 ms/, from);
    await watch.waitFor(/contacts: failure 2 in a row; trying again in 600 ms/, from);
    assert.match(watch.stderr(), /E_[A-Z_]+/, 'the failure is reported with its code');
    await fx.restartEmulator();
    await watch.waitFor(FINISHED, from);
    assert.ok(fx.emulator.listProfiles(1).some((p) => p.fields.Email === 'down@x.nl'));
    assert.equal(readState(fx).imports.contacts?.outcome, 'finished');
    const exit = await watch.stop('SIGTERM');
    assert.equal(exit.exitCode, 0, exit.stderr);
  });

  test('a cut-short file is refused as truncated: no import, no retry; it waits for a change, then runs', async () => {
    fx = await createWatchFixture({ 'data/a.csv': csv('a@x.nl') });
    watch = spawnWatch(['--debounce', '100', '--retry-backoff', '200ms'], { cwd: fx.dir, env: fx.env });
    await watch.waitFor(/watch: ready/);
    const posts = fx.importPosts();
    fx.write('data/a.csv', 'Email,FirstName\na@x.nl,A\nb@x.nl');
    const invalid =
      /contacts: refused \(E_GUARD_TRUNCATED the last record of data\/a\.csv is cut short.*\); waiting for a change/;
    await until('the invalid line', () => (invalid.test(watch?.stderr() ?? '') ? true : undefined));
    const from = watch.mark();
    fx.write('data/a.csv', csv('a@x.nl', 'b@x.nl'));
    await watch.waitFor(FINISHED, from);
    assert.equal(
      fx.importPosts(),
      posts + 1,
      'only the complete file was imported; the truncated one was not retried',
    );
    assert.equal(watch.stderr().match(new RegExp(invalid.source, 'g'))?.length, 1);
  });

  test('a guard refuses a shrunken source: no import, no retry; a change that passes it runs', async () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `r${i}@x.nl`);
    const guarded = `${CONTACTS}\n    removeMissing: true\n    safety: { minRows: 3 }`;
    const seed = { databases: [{ id: 1, name: 'Empty', fields: ['Email', 'FirstName'] }] };
    fx = await createWatchFixture({ 'data/a.csv': csv(...rows(5)) }, { imports: guarded, seed });
    watch = spawnWatch(['--debounce', '100', '--retry-backoff', '200ms'], { cwd: fx.dir, env: fx.env });
    await watch.waitFor(/watch: ready/);
    const posts = fx.importPosts();
    fx.write('data/a.csv', csv(...rows(1)));
    const refused = /contacts: refused \(E_GUARD_\w+ .*\); waiting for a change/;
    await until('the refusal', () => (refused.test(watch?.stderr() ?? '') ? true : undefined));
    const from = watch.mark();
    fx.write('data/a.csv', csv(...rows(6)));
    await watch.waitFor(FINISHED, from);
    assert.equal(fx.importPosts(), posts + 1, 'the refused data set was never sent');
    assert.equal(watch.stderr().match(new RegExp(refused.source, 'g'))?.length, 1, 'not retried on a timer');
  });

  test('SIGTERM mid-import: the import finishes within the grace time, state written, exit 0', async () => {
    fx = await createWatchFixture({}, { importDelayMs: 1500, imports: CONTACTS });
    watch = spawnWatch(['--debounce', '100'], { cwd: fx.dir, env: fx.env });
    await watch.waitFor(/watch: ready/);
    const from = watch.mark();
    fx.write('data/a.csv', csv('a@x.nl'));
    await watch.waitFor(/contacts: created Copernica import (\d+)/, from);
    const exit = await watch.stop('SIGTERM');
    assert.equal(exit.exitCode, 0, exit.stderr);
    const after = exit.stdout.slice(from);
    assert.ok(after.indexOf('watch: stopping') < after.indexOf('✓ contacts: finished'), after);
    assert.match(after, /watch: stopped/);
    const id = /created Copernica import (\d+)/.exec(after)?.[1];
    assert.deepEqual(
      { outcome: readState(fx).imports.contacts?.outcome, id: readState(fx).imports.contacts?.importId },
      { outcome: 'finished', id },
    );
    assert.equal(existsSync(join(fx.dir, '.copernica-sync/state.json.lock')), false);
  });

  test('SIGTERM mid-import past the shutdown timeout: abandoned, recorded with its import ID, exit 0', async () => {
    fx = await createWatchFixture({}, { importDelayMs: 20_000, imports: CONTACTS });
    watch = spawnWatch(['--debounce', '100', '--shutdown-timeout', '300ms'], { cwd: fx.dir, env: fx.env });
    await watch.waitFor(/watch: ready/);
    const from = watch.mark();
    fx.write('data/a.csv', csv('a@x.nl'));
    await watch.waitFor(/contacts: created Copernica import/, from);
    const exit = await watch.stop('SIGTERM');
    assert.equal(exit.exitCode, 0, exit.stderr);
    assert.match(exit.stderr, /watch: abandoning contacts; outcome unknown/);
    const id = /created Copernica import (\d+)/.exec(exit.stdout)?.[1];
    const entry = readState(fx).imports.contacts;
    // The import Copernica accepted is in the state, with why its outcome is not known.
    assert.equal(entry?.importId, id);
    assert.match(String(entry?.error), /may still run/);
    assert.ok(exit.stdout.indexOf('watch: stopped') > exit.stdout.indexOf('contacts: created'));
    assert.equal(existsSync(join(fx.dir, '.copernica-sync/state.json.lock')), false);
  });
});
