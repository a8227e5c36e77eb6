// `apply` of a source large enough to be escaped on a worker thread, through the bundled CLI, against the emulator.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { ESCAPE_WORKER_BYTES } from '../../src/copernica/import-body.js';
import { CLI_PATH } from '../helpers/cli.js';
import { importsYaml, profilesByEmail, useProjects } from './helpers.js';

const project = useProjects();

describe('apply of a large source', () => {
  it('sends every row of a source over ESCAPE_WORKER_BYTES exactly, quotes and non-ASCII included', async () => {
    const city = `a\\b "quoted" € 😀 ${'x'.repeat(60)}`;
    const note = `"${city.replaceAll('"', '""')}"`;
    const rows = Math.ceil(ESCAPE_WORKER_BYTES / 100);
    const lines = Array.from({ length: rows }, (_, i) => `user${i}@example.com,Zoë ${i},${note}\n`);
    const csv = `Email,Name,City\n${lines.join('')}`;
    assert.ok(Buffer.byteLength(csv) > ESCAPE_WORKER_BYTES);
    const p = await project({
      'imports.yaml': importsYaml('  big: { database: Newsletter, keyFields: [Email], source: big.csv }'),
      'big.csv': csv,
    });
    // the bundle ships the worker: without it the escaping would fall back to the main thread, slower
    assert.ok(existsSync(join(dirname(CLI_PATH), 'escape-worker.js')));
    const r = await p.cli(['apply']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    const profiles = profilesByEmail(p.emulator, 'Newsletter');
    assert.equal(profiles.size, rows + 3, 'the rows and the three seeded profiles');
    for (const i of [0, 1, Math.floor(rows / 2), rows - 1]) {
      const profile = profiles.get(`user${i}@example.com`);
      assert.deepEqual(profile, { Email: `user${i}@example.com`, Name: `Zoë ${i}`, City: city });
    }
  });
});
