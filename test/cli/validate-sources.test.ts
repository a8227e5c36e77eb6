import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { EXIT } from '../../src/core/exit-codes.js';
import { createFixtureDir, runCliProcess } from '../helpers/cli.js';

const CONFIG = `version: 1
imports:
  people:
    database: 1
    keyFields: [Email]
    source: data/*.csv
  feed:
    database: 1
    keyFields: [Email]
    command: ["definitely-not-a-program-xyz"]
`;

describe('validate reads the sources too', () => {
  const cleanups: Array<() => void> = [];
  after(() => {
    for (const c of cleanups) c();
  });

  it('reports a key field missing from a header at the file and line, and exits 78', async () => {
    const fx = createFixtureDir({ 'imports.yaml': CONFIG, 'data/a.csv': 'email,Name\na@x.nl,A\n' });
    cleanups.push(fx.cleanup);
    const r = await runCliProcess(['validate'], { cwd: fx.dir });
    assert.equal(r.exitCode, EXIT.config, r.stderr);
    assert.match(r.stderr, /^data\/a\.csv:1:\d+ error E_SOURCE_KEY_MISSING .*case/m);
  });

  it('reports a row with the wrong number of columns, and passes clean data without running commands', async () => {
    const bad = createFixtureDir({ 'imports.yaml': CONFIG, 'data/a.csv': 'Email,Name\na@x.nl,A\nb@x.nl\n' });
    const good = createFixtureDir({ 'imports.yaml': CONFIG, 'data/a.csv': 'Email,Name\na@x.nl,A\n' });
    cleanups.push(bad.cleanup, good.cleanup);
    const r = await runCliProcess(['validate', '--format', 'json'], { cwd: bad.dir });
    assert.equal(r.exitCode, EXIT.config);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const columns = events.find((e) => e.code === 'E_SOURCE_COLUMNS') as
      | { position?: { line: number } }
      | undefined;
    assert.equal(columns?.position?.line, 3);
    assert.equal(events.at(-1)?.valid, false);
    // The command source's program does not exist: validate must not try to run it.
    const ok = await runCliProcess(['validate'], { cwd: good.dir });
    assert.equal(ok.exitCode, EXIT.ok, ok.stderr);
    assert.match(ok.stdout, /2 imports valid/);
  });
});
