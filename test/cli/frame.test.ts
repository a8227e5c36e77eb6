import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT } from '../../src/core/exit-codes.js';
import { runCliProcess } from '../helpers/cli.js';

describe('CLI frame', () => {
  it('prints help with the exit-code table and exits 0', async () => {
    const r = await runCliProcess(['--help']);
    assert.equal(r.exitCode, EXIT.ok);
    assert.match(r.stdout, /validate/);
    assert.match(r.stdout, /Exit codes:/);
    assert.match(r.stdout, /78 {2}invalid configuration/);
  });

  it('prints the package version', async () => {
    const r = await runCliProcess(['--version']);
    assert.equal(r.exitCode, EXIT.ok);
    assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+$/);
  });

  it('suggests the closest command for a typo and exits 64', async () => {
    const r = await runCliProcess(['valdate']);
    assert.equal(r.exitCode, EXIT.usage);
    assert.match(r.stderr, /E_USAGE/);
    assert.match(r.stderr, /Did you mean validate\?/);
  });

  it('suggests the closest option for a typo and exits 64', async () => {
    const r = await runCliProcess(['validate', '--confg', 'x.yaml']);
    assert.equal(r.exitCode, EXIT.usage);
    assert.match(r.stderr, /Did you mean --config\?/);
  });

  it('rejects an unknown --format value with exit 64', async () => {
    const r = await runCliProcess(['validate', '--format', 'xml']);
    assert.equal(r.exitCode, EXIT.usage);
    assert.match(r.stderr, /text, json, github/);
  });

  it('exits 64 with help when no command is given', async () => {
    const r = await runCliProcess([]);
    assert.equal(r.exitCode, EXIT.usage);
    assert.match(r.stderr, /Usage: copernica-sync/);
  });
});
