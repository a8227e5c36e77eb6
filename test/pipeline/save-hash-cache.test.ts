// saveHashCache: writes new entries under the lock, nothing when nothing is new, and only warns when it cannot write.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { preparePlan } from '../../src/pipeline/prepare-plan.js';
import { saveHashCache } from '../../src/pipeline/save-hash-cache.js';
import type { StateFile } from '../../src/state/types.js';
import { createFixtureDir } from '../helpers/cli.js';

const cleanups: Array<() => void> = [];
after(() => {
  for (const c of cleanups) c();
});

async function prepared() {
  const fixture = createFixtureDir({
    'imports.yaml':
      'version: 1\nstate: st/state.json\nimports:\n  a: { database: 1, keyFields: [Email], source: a.csv }\n',
    'a.csv': 'Email\nx@example.com\n',
  });
  cleanups.push(fixture.cleanup);
  const plan = await preparePlan({
    configPath: 'imports.yaml',
    cwd: fixture.dir,
    env: {},
    force: false,
    allowDestructive: false,
    allowOutside: false,
    now: Date.now,
  });
  return { dir: fixture.dir, plan };
}

describe('saveHashCache', () => {
  it('stores the entries of the resolved files, keyed by absolute path', async () => {
    const { dir, plan } = await prepared();
    const warnings: string[] = [];
    const saved = await saveHashCache(plan.config.statePath, plan.sources.values(), Date.now(), (m) =>
      warnings.push(m),
    );
    assert.equal(saved, true);
    const state = JSON.parse(readFileSync(plan.config.statePath, 'utf8')) as StateFile;
    assert.equal(state.hashCache[join(dir, 'a.csv')]?.rows, 1);
    assert.deepEqual(warnings, []);
    assert.equal(existsSync(`${plan.config.statePath}.lock`), false, 'the lock is released');
  });

  it('takes no lock and writes nothing when the known cache already holds every entry', async () => {
    const { plan } = await prepared();
    const now = Date.now();
    const entries = Object.fromEntries(
      [...plan.sources.values()].flatMap((s) => s.files).map((f) => [f.absPath, f] as const),
    );
    assert.equal(Object.keys(entries).length, 1);
    // Save once into a throwaway state to learn the exact entries, then compare against them as `known`.
    await saveHashCache(plan.config.statePath, plan.sources.values(), now, () => {});
    const known = (JSON.parse(readFileSync(plan.config.statePath, 'utf8')) as StateFile).hashCache;
    const other = join(plan.config.dir, 'elsewhere', 'state.json');
    assert.equal(await saveHashCache(other, plan.sources.values(), now, () => {}, known), true);
    assert.equal(existsSync(join(plan.config.dir, 'elsewhere')), false);
  });

  it('warns instead of failing when the state cannot be written', async () => {
    const { plan } = await prepared();
    const warnings: string[] = [];
    const blocked = join(plan.config.dir, 'a.csv', 'state.json');
    assert.equal(
      await saveHashCache(blocked, plan.sources.values(), Date.now(), (m) => warnings.push(m)),
      false,
    );
    assert.match(warnings[0] ?? '', /content-hash cache was not saved/);
  });
});
