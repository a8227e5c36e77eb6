// Issue #13, init: the schema modeline is relative to imports.yaml, in a clone, a project with the package, and elsewhere.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { EXIT } from '../../src/core/exit-codes.js';
import { createFixtureDir, REPO_ROOT, runCliProcess } from '../helpers/cli.js';

const cleanups: Array<() => void> = [];
after(() => {
  for (const cleanup of cleanups) cleanup();
});

/** Runs `init` (with extra args) in a fresh directory holding `files`; returns the directory and the modeline. */
async function initIn(files: Record<string, string>, args: string[] = []) {
  const fixture = createFixtureDir(files);
  cleanups.push(fixture.cleanup);
  const r = await runCliProcess(['init', ...args], { cwd: fixture.dir });
  assert.equal(r.exitCode, EXIT.ok, r.stderr);
  const config = join(fixture.dir, args[1] ?? 'imports.yaml');
  const modeline = /^# yaml-language-server: \$schema=(.+)$/m.exec(readFileSync(config, 'utf8'))?.[1] ?? '';
  return { dir: fixture.dir, configDir: resolve(config, '..'), modeline };
}

const SCHEMA = '{"$schema": "http://json-schema.org/draft-07/schema#"}';

describe('init writes a relative schema modeline (issue #13)', () => {
  it('in a clone: ./schemas/imports.schema.json', async () => {
    const { modeline } = await initIn({ 'schemas/imports.schema.json': SCHEMA });
    assert.equal(modeline, './schemas/imports.schema.json');
  });

  it('where the package is installed: ./node_modules/copernica-sync/schemas/imports.schema.json', async () => {
    const { modeline } = await initIn({ 'node_modules/copernica-sync/schemas/imports.schema.json': SCHEMA });
    assert.equal(modeline, './node_modules/copernica-sync/schemas/imports.schema.json');
  });

  it('in a subdirectory of such a project: ../node_modules/…', async () => {
    const { modeline, configDir } = await initIn(
      { 'node_modules/copernica-sync/schemas/imports.schema.json': SCHEMA },
      ['-c', 'sync/imports.yaml'],
    );
    assert.equal(modeline, '../node_modules/copernica-sync/schemas/imports.schema.json');
    assert.ok(existsSync(resolve(configDir, modeline)));
  });

  it('with neither: a relative path to this install schema, which resolves to the file', async () => {
    const { modeline, configDir } = await initIn({});
    assert.equal(isAbsolute(modeline), false, modeline);
    assert.match(modeline, /^\.\.?\//);
    assert.equal(resolve(configDir, modeline), join(REPO_ROOT, 'schemas', 'imports.schema.json'));
  });
});
