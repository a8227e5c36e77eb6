// `watch` start-up cases: polling mode, a broken imports.yaml at start, and a second watcher on a locked state.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { runCliProcess } from '../helpers/cli.js';
import {
  CONTACTS,
  createWatchFixture,
  csv,
  importsYaml,
  type WatchFixture,
} from './helpers/watch-fixture.js';
import { spawnWatch, type WatchProcess } from './helpers/watch-process.js';

describe('watch: start-up', () => {
  let fx: WatchFixture | undefined;
  let watch: WatchProcess | undefined;

  afterEach(async () => {
    await watch?.stop('SIGKILL');
    await fx?.close();
    watch = undefined;
    fx = undefined;
  });

  test('--poll sees changes; --only limits what runs; a second watch on the same state is refused', async () => {
    const other = ['  other:', '    database: 1', '    keyFields: [Email]', '    source: other/*.csv'].join(
      '\n',
    );
    fx = await createWatchFixture(
      { 'data/a.csv': csv('a@x.nl'), 'other/o.csv': csv('o@x.nl') },
      { imports: `${CONTACTS}\n${other}` },
    );
    watch = spawnWatch(['--debounce', '100', '--poll', '--only', 'contacts'], {
      cwd: fx.dir,
      env: { ...fx.env, CHOKIDAR_INTERVAL: '50' },
    });
    await watch.waitFor(/watch: ready, watching 2 imports under \d+ paths \(polling\)/);
    assert.equal(fx.importPosts(), 1, 'only contacts ran at start');
    const second = await runCliProcess(['watch'], { cwd: fx.dir, env: fx.env });
    assert.equal(second.exitCode, 1);
    assert.match(second.stderr, /E_STATE_LOCKED/);
    const from = watch.mark();
    fx.write('other/o.csv', csv('o@x.nl', 'o2@x.nl'));
    fx.write('data/a.csv', csv('a@x.nl', 'polled@x.nl'));
    await watch.waitFor(/✓ contacts: finished/, from);
    assert.ok(fx.emulator.listProfiles(1).some((p) => p.fields.Email === 'polled@x.nl'));
    assert.doesNotMatch(watch.stdout().slice(from), /other/);
    assert.equal(fx.importPosts(), 2);
  });

  test('an invalid imports.yaml at start is a configuration error (exit 78), nothing watched', async () => {
    fx = await createWatchFixture({ 'data/a.csv': csv('a@x.nl') });
    fx.write('imports.yaml', importsYaml(fx.emulator.url, `${CONTACTS}\n    database: [1]`));
    const result = await runCliProcess(['watch'], { cwd: fx.dir, env: fx.env });
    assert.equal(result.exitCode, 78, result.stderr);
    assert.match(result.stderr, /error E_CONFIG/);
    assert.doesNotMatch(result.stdout, /watch: ready/);
    assert.equal(fx.importPosts(), 0);
  });
});
