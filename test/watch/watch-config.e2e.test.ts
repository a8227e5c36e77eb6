// `watch --format json` end to end: imports.yaml broken then fixed (last good config keeps running), re-watching, NDJSON.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import {
  CONTACTS,
  createWatchFixture,
  csv,
  importsYaml,
  type WatchFixture,
} from './helpers/watch-fixture.js';
import { spawnWatch, type WatchProcess } from './helpers/watch-process.js';

const finished = (name: string) =>
  new RegExp(`"type":"import-finished","name":"${name}","outcome":"finished"`);

const MOVED = [
  '  contacts:',
  '    database: 1',
  '    keyFields: [Email]',
  '    source: people/*.csv',
  '  orders:',
  '    database: 1',
  '    keyFields: [Email]',
  '    source: exports/*.csv',
].join('\n');

describe('watch: imports.yaml changes', () => {
  let fx: WatchFixture;
  let watch: WatchProcess;
  let health = '';
  const healthz = async () => (await request(`${health}/healthz`)).statusCode;

  before(async () => {
    fx = await createWatchFixture({ 'data/a.csv': csv('a@x.nl') });
    watch = spawnWatch(['--debounce', '100', '--health-port', '0', '--format', 'json'], {
      cwd: fx.dir,
      env: fx.env,
    });
    await watch.waitFor(/"event":"ready"/);
    const ready =
      watch
        .stdout()
        .split('\n')
        .find((l) => l.includes('"event":"ready"')) ?? '{}';
    health = (JSON.parse(ready) as { health?: string }).health ?? '';
  });

  after(async () => {
    await watch?.stop();
    await fx?.close();
  });

  test('every output line is an NDJSON object; the ready event lists the imports', () => {
    const lines = watch.stdout().trimEnd().split('\n');
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), line);
    const ready = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.event === 'ready');
    assert.deepEqual(ready?.imports, ['contacts']);
    assert.match(String(ready?.time), /^\d{4}-\d\d-\d\dT/);
    assert.ok(health.startsWith('http://127.0.0.1:'));
  });

  test('a broken imports.yaml: diagnostics, /healthz 503, and the last good config keeps importing', async () => {
    let from = watch.mark();
    fx.write('imports.yaml', importsYaml(fx.emulator.url, `${CONTACTS}\n    actoin: add`));
    await watch.waitFor(/"event":"config-invalid"/, from);
    assert.match(watch.stdout().slice(from), /"severity":"error"/, 'the diagnostics are printed');
    assert.equal(await healthz(), 503);
    from = watch.mark();
    fx.write('data/a.csv', csv('a@x.nl', 'while-broken@x.nl'));
    await watch.waitFor(finished('contacts'), from);
    assert.ok(fx.emulator.listProfiles(1).some((p) => p.fields.Email === 'while-broken@x.nl'));
  });

  test('fixed with new sources: re-planned, new paths watched, old ones dropped', async () => {
    fx.write('people/p.csv', csv('p@x.nl'));
    fx.write('exports/o.csv', csv('o@x.nl'));
    let from = watch.mark();
    fx.write('imports.yaml', importsYaml(fx.emulator.url, MOVED));
    await watch.waitFor(/"event":"config-reloaded"/, from);
    assert.equal(await healthz(), 200);
    await watch.waitFor(finished('orders'), from);
    await watch.waitFor(finished('contacts'), from);
    const posts = fx.importPosts();
    from = watch.mark();
    fx.write('data/a.csv', csv('a@x.nl', 'not-watched@x.nl'));
    fx.write('exports/o.csv', csv('o@x.nl', 'o2@x.nl'));
    await watch.waitFor(finished('orders'), from);
    assert.doesNotMatch(watch.stdout().slice(from), /data\/a\.csv/);
    assert.equal(fx.importPosts(), posts + 1);
    assert.ok(!fx.emulator.listProfiles(1).some((p) => p.fields.Email === 'not-watched@x.nl'));
  });

  test('/status lists the new imports with their outcome', async () => {
    const response = await request(`${health}/status`);
    const body = (await response.body.json()) as {
      config: { valid: boolean };
      imports: Array<{ name: string; lastOutcome: string }>;
    };
    assert.equal(body.config.valid, true);
    assert.deepEqual(
      body.imports.map((i) => [i.name, i.lastOutcome]),
      [
        ['contacts', 'finished'],
        ['orders', 'finished'],
      ],
    );
  });
});
