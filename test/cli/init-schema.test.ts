import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { EXIT } from '../../src/core/exit-codes.js';
import { createFixtureDir, REPO_ROOT, runCliProcess } from '../helpers/cli.js';

describe('copernica-sync init', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());
  const fresh = (files: Record<string, string> = {}) => {
    const fixture = createFixtureDir(files);
    cleanup = fixture.cleanup;
    return fixture.dir;
  };

  it('writes a starter imports.yaml and example data that validate cleanly', async () => {
    const dir = fresh();
    const r = await runCliProcess(['init'], { cwd: dir });
    assert.equal(r.exitCode, EXIT.ok, r.stderr);
    assert.match(r.stdout, /wrote imports\.yaml and data\/contacts\.csv/);
    const text = readFileSync(join(dir, 'imports.yaml'), 'utf8');
    const modeline = /^# yaml-language-server: \$schema=(.+)$/m.exec(text)?.[1];
    assert.ok(modeline, 'modeline present');
    assert.ok(
      existsSync(join(dir, modeline)),
      'outside a checkout the modeline names the installed schema file, relative to imports.yaml',
    );
    const v = await runCliProcess(['validate'], { cwd: dir });
    assert.equal(v.exitCode, EXIT.ok, v.stderr);
    assert.equal(v.stdout, 'imports.yaml: 1 import valid');
  });

  it('points the modeline at ./schemas/imports.schema.json when the directory has one', async () => {
    const dir = fresh({ 'schemas/imports.schema.json': '{}' });
    await runCliProcess(['init'], { cwd: dir });
    const text = readFileSync(join(dir, 'imports.yaml'), 'utf8');
    assert.match(text, /^# yaml-language-server: \$schema=\.\/schemas\/imports\.schema\.json$/m);
  });

  it('refuses to overwrite an existing file with exit 64, and overwrites it with --force', async () => {
    const dir = fresh({ 'imports.yaml': 'mine\n', 'data/contacts.csv': 'Email\nreal@example.com\n' });
    const refused = await runCliProcess(['init'], { cwd: dir });
    assert.equal(refused.exitCode, EXIT.usage);
    assert.match(refused.stderr, /E_INIT_EXISTS/);
    assert.match(refused.stderr, /--force/);
    assert.equal(readFileSync(join(dir, 'imports.yaml'), 'utf8'), 'mine\n');
    const forced = await runCliProcess(['init', '--force'], { cwd: dir });
    assert.equal(forced.exitCode, EXIT.ok, forced.stderr);
    assert.match(readFileSync(join(dir, 'imports.yaml'), 'utf8'), /^version: 1$/m);
    assert.equal(
      readFileSync(join(dir, 'data/contacts.csv'), 'utf8'),
      'Email\nreal@example.com\n',
      'data kept',
    );
  });

  it('writes to the -c path, creating its directory', async () => {
    const dir = fresh();
    const r = await runCliProcess(['init', '-c', 'sync/imports.yaml'], { cwd: dir });
    assert.equal(r.exitCode, EXIT.ok, r.stderr);
    assert.ok(existsSync(join(dir, 'sync', 'imports.yaml')));
    assert.ok(existsSync(join(dir, 'sync', 'data', 'contacts.csv')));
  });
});

describe('copernica-sync schema', () => {
  it('prints the JSON Schema file byte for byte', async () => {
    const r = await runCliProcess(['schema']);
    assert.equal(r.exitCode, EXIT.ok);
    // execa strips the final newline; a mismatch would print 10 KB, so compare as a boolean.
    const file = readFileSync(join(REPO_ROOT, 'schemas', 'imports.schema.json'), 'utf8');
    assert.ok(r.stdout === file.trimEnd(), 'stdout differs from schemas/imports.schema.json');
    const parsed = JSON.parse(r.stdout) as { $schema: string; properties: Record<string, unknown> };
    assert.equal(parsed.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.ok('imports' in parsed.properties);
  });
});
