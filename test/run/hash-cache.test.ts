// The one hash-cache policy: plan keeps new scans (under a brief lock), writes nothing when nothing is new,
// and only warns when it cannot write.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { RunEvent } from '../../src/run/events.js';
import { plan } from '../../src/run/plan.js';
import type { StateFile } from '../../src/state/types.js';
import { createFixtureDir } from '../helpers/cli.js';

const cleanups: Array<() => void> = [];
after(() => {
  for (const c of cleanups) c();
});

function project(extra: Record<string, string> = {}): string {
  const fixture = createFixtureDir({
    'imports.yaml':
      'version: 1\nstate: st/state.json\nimports:\n  a: { database: 1, keyFields: [Email], source: a.csv }\n',
    'a.csv': 'Email\nx@example.com\n',
    ...extra,
  });
  cleanups.push(fixture.cleanup);
  return fixture.dir;
}

describe('the hash cache', () => {
  it('stores the entries of the files a plan scanned, keyed by absolute path, and releases the lock', async () => {
    const cwd = project();
    const warnings: RunEvent[] = [];
    await plan({ cwd, env: {}, onEvent: (e) => e.type === 'warning' && warnings.push(e) });
    const statePath = join(cwd, 'st', 'state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as StateFile;
    assert.equal(state.hashCache[join(cwd, 'a.csv')]?.rows, 1);
    assert.deepEqual(warnings, []);
    assert.equal(existsSync(`${statePath}.lock`), false, 'the lock is released');
  });

  it('writes nothing, and reads no source, when the cache already holds every entry', async () => {
    const cwd = project();
    const statePath = join(cwd, 'st', 'state.json');
    // Older than the racy-timestamp window: once cached, the file is trusted by its stamp.
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(cwd, 'a.csv'), old, old);
    await plan({ cwd, env: {} });
    const written = statSync(statePath).mtimeMs;
    const again = await plan({ cwd, env: {} });
    assert.equal(statSync(statePath).mtimeMs, written, 'the state is not rewritten');
    assert.equal(again.imports[0]?.rows, 1, 'the cached scan still knows the rows');
  });

  it('warns instead of failing when the state cannot be written', async () => {
    // A directory where the lock file should go: the lock cannot be taken, whoever runs the test (root too).
    const cwd = project({ 'st/state.json.lock/in-the-way': '' });
    const warnings: string[] = [];
    const result = await plan({
      cwd,
      env: {},
      onEvent: (e) => e.type === 'warning' && warnings.push(e.message),
    });
    assert.equal(result.summary.toRun, 1);
    assert.match(warnings[0] ?? '', /content-hash cache was not saved/);
  });
});
