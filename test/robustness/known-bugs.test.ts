// Regression tests for the bugs the robustness suites found (each fixed in the same change).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { MAX_MESSAGE_CHARS } from '../../src/sources/scan-checks.js';
import { scanFile } from '../../src/sources/scan-file.js';
import { CLI_PATH, createFixtureDir, REPO_ROOT, runCliProcess } from '../helpers/cli.js';

describe('bugs found by the robustness suites', () => {
  it('a string copernica.apiVersion is an E_CONFIG_SCHEMA diagnostic, not a TypeError', () => {
    const text =
      'version: 1\ncopernica:\n  apiVersion: three\nimports:\n  a: { database: 1, keyFields: [E], source: a.csv }\n';
    const result = parseConfigText(text, 'imports.yaml', { file: '/x/imports.yaml', env: {} });
    assert.equal(result.diagnostics[0]?.code, 'E_CONFIG_SCHEMA');
    assert.equal(result.diagnostics[0]?.position?.line, 3);
  });

  it('validate with a string apiVersion exits 78, not 1 with E_INTERNAL', async () => {
    const fixture = createFixtureDir({
      'imports.yaml':
        'version: 1\ncopernica:\n  apiVersion: "3"\nimports:\n  a: { database: 1, keyFields: [E], source: a.csv }\n',
      'a.csv': 'E\nx\n',
    });
    try {
      const r = await runCliProcess(['validate'], { cwd: fixture.dir });
      assert.equal(r.exitCode, 78, r.stderr);
      assert.doesNotMatch(r.stderr, /E_INTERNAL/);
    } finally {
      fixture.cleanup();
    }
  });

  it('a collection used as a mapping key prints no Node process warning', async () => {
    const fixture = createFixtureDir({
      'imports.yaml':
        'version: 1\nimports:\n  ? { complex: 1 }\n  : 1\n  a: { database: 1, keyFields: [E], source: a.csv }\n',
      'a.csv': 'E\nx\n',
    });
    try {
      const r = await runCliProcess(['validate'], { cwd: fixture.dir });
      assert.equal(r.exitCode, 78);
      assert.doesNotMatch(r.stderr, /\(node:\d+\) Warning|mapAsMap/);
    } finally {
      fixture.cleanup();
    }
  });

  it('a 50 MiB single-line JSONL file is scanned under 200 MB peak memory, with a positioned error', async () => {
    const body = Buffer.alloc(50 * 1024 * 1024, 'a');
    body.write('{"Email":"', 0);
    const fixture = createFixtureDir({
      'imports.yaml': 'version: 1\nimports:\n  big: { database: 1, keyFields: [Email], source: big.jsonl }\n',
      'big.jsonl': body,
    });
    try {
      const measure = join(REPO_ROOT, 'test', 'fixtures', 'robustness', 'measure-rss.mjs');
      const r = await execa(process.execPath, [measure, CLI_PATH, 'validate'], {
        cwd: fixture.dir,
        reject: false,
      });
      const maxRss = Number(/MAXRSS (\d+)/.exec(String(r.stderr))?.[1]);
      assert.ok(maxRss < 200 * 1024, `peak RSS ${Math.round(maxRss / 1024)} MB`);
      assert.equal(r.exitCode, 78);
      assert.match(String(r.stderr), /big\.jsonl:1:1 error E_SOURCE_JSON .*longer than 16 MiB/);
    } finally {
      fixture.cleanup();
    }
  });

  it('messages quoting data stay short however long a column name is', async () => {
    const longName = 'x'.repeat(100_000);
    const fixture = createFixtureDir({ 'a.json': `[{"Email":"a@x.nl"},{"Email":"b@x.nl","${longName}":1}]` });
    try {
      const scan = await scanFile(join(fixture.dir, 'a.json'), {
        displayPath: 'a.json',
        format: 'json',
        delimiter: ',',
        encoding: 'utf-8',
        keyFields: ['Email'],
        delimiterDeclared: false,
        strictKeys: false,
        importName: 'a',
      });
      const keyset = scan.diagnostics.find((d) => d.code === 'E_SOURCE_KEYSET');
      assert.ok(keyset, JSON.stringify(scan.diagnostics.map((d) => d.code)));
      assert.ok(keyset.message.length <= MAX_MESSAGE_CHARS);
    } finally {
      fixture.cleanup();
    }
  });
});
