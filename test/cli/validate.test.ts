import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { EXIT } from '../../src/core/exit-codes.js';
import { createFixtureDir, REPO_ROOT, runCliProcess } from '../helpers/cli.js';

const VALID =
  'version: 1\nimports:\n  contacts:\n    database: 1\n    keyFields: [Email]\n    source: data/*.csv\n  feed:\n    database: 2\n    action: add\n    location: https://partner.example.com/feed.csv\n';
const BROKEN =
  'version: 1\nconcurrency: 99\nimports:\n  contacts:\n    database: 1\n    keyFields: [Email]\n    srouce: data/*.csv\n';

describe('copernica-sync validate', () => {
  const fixture = createFixtureDir({
    'imports.yaml': VALID,
    'data/a.csv': 'Email\na@example.com\n',
    'broken.yaml': BROKEN,
    'nomatch.yaml': VALID.replace('data/*.csv', 'missing/*.csv'),
    'outside.yaml': VALID.replace('data/*.csv', '../elsewhere/*.csv'),
    'many.yaml': `version: 1\nimports:\n${Array.from({ length: 12 }, (_, i) => `  i${i}:\n    database: 1\n    keyFields: [Email]\n`).join('')}`,
  });
  after(fixture.cleanup);
  const run = (args: string[], env: Record<string, string> = {}) =>
    runCliProcess(['validate', ...args], { cwd: fixture.dir, env });

  it('exits 0 with a one-line summary on a valid file', async () => {
    const r = await run([]);
    assert.equal(r.exitCode, EXIT.ok, r.stderr);
    assert.equal(r.stdout, 'imports.yaml: 2 imports valid');
    assert.equal(r.stderr, '');
  });

  it('exits 78 on a broken file, with file:line:column diagnostics on stderr and a count on stdout', async () => {
    const r = await run(['-c', 'broken.yaml']);
    assert.equal(r.exitCode, EXIT.config);
    assert.equal(r.stdout, 'broken.yaml: 3 errors');
    assert.match(r.stderr, /^broken\.yaml:2:14 error E_CONFIG_RANGE /m);
    assert.match(r.stderr, /^broken\.yaml:4:3 error E_CONFIG_SOURCE_COUNT /m);
    assert.match(
      r.stderr,
      /^broken\.yaml:7:5 error E_CONFIG_UNKNOWN_KEY unknown key 'srouce' .*did you mean 'source'\?/m,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('exits 78 when a glob matches nothing or reaches outside, and --allow-outside lifts the latter', async () => {
    const none = await run(['-c', 'nomatch.yaml']);
    assert.equal(none.exitCode, EXIT.config);
    assert.match(none.stderr, /^nomatch\.yaml:6:13 error E_SOURCE_NO_MATCH /m);
    const outside = await run(['-c', 'outside.yaml']);
    assert.equal(outside.exitCode, EXIT.config);
    assert.match(outside.stderr, /^outside\.yaml:6:13 error E_SOURCE_OUTSIDE /m);
    const allowed = await run(['-c', 'outside.yaml', '--allow-outside']);
    assert.match(allowed.stderr, /E_SOURCE_NO_MATCH/, 'allowed out, but ../elsewhere does not exist');
    assert.doesNotMatch(allowed.stderr, /E_SOURCE_OUTSIDE/);
  });

  it('exits 78 with a hint to run init when the file is missing', async () => {
    const r = await run(['-c', 'absent.yaml']);
    assert.equal(r.exitCode, EXIT.config);
    assert.match(r.stderr, /E_CONFIG_NOT_FOUND/);
    assert.match(r.stderr, /copernica-sync init/);
  });

  it('writes NDJSON on stdout in json mode, ending with a summary', async () => {
    const r = await run(['-c', 'broken.yaml', '--format', 'json']);
    assert.equal(r.exitCode, EXIT.config);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => l.type),
      ['diagnostic', 'diagnostic', 'diagnostic', 'summary'],
    );
    assert.deepEqual(lines[0]?.position, { file: 'broken.yaml', line: 2, column: 14 });
    assert.deepEqual(lines[3], {
      type: 'summary',
      version: 1,
      command: 'validate',
      file: 'broken.yaml',
      valid: false,
      imports: null,
      errors: 3,
      warnings: 0,
    });
    const ok = await run(['--format', 'json']);
    assert.equal(ok.exitCode, EXIT.ok);
    assert.deepEqual(JSON.parse(ok.stdout), {
      type: 'summary',
      version: 1,
      command: 'validate',
      file: 'imports.yaml',
      valid: true,
      imports: 2,
      errors: 0,
      warnings: 0,
    });
  });

  it('annotates the first 10 problems for GitHub and puts all of them in the step summary', async () => {
    const summary = join(fixture.dir, 'step-summary.md');
    const r = await run(['-c', 'many.yaml'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.exitCode, EXIT.config);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
    assert.equal(annotations.length, 10);
    assert.match(annotations[0] ?? '', /^::error file=many\.yaml,line=3,col=3,title=E_CONFIG_SOURCE_COUNT::/);
    const markdown = readFileSync(summary, 'utf8');
    assert.equal(markdown.split('\n').filter((l) => l.startsWith('| error |')).length, 12);
    assert.match(r.stdout, /many\.yaml: 12 errors/);
  });
});

describe('the shipped configurations validate', () => {
  const findConfigs = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return findConfigs(full);
      return entry.name === 'imports.yaml' ? [full] : [];
    });
  const examples = existsSync(join(REPO_ROOT, 'examples')) ? findConfigs(join(REPO_ROOT, 'examples')) : [];
  const configs = [join(REPO_ROOT, 'imports.yaml'), ...examples];

  it('has a root imports.yaml', () => {
    assert.ok(existsSync(join(REPO_ROOT, 'imports.yaml')), 'the demo configuration imports.yaml is missing');
  });

  for (const config of configs) {
    it(`${relative(REPO_ROOT, config)} validates cleanly`, async (t) => {
      if (!existsSync(config)) {
        t.diagnostic('covered by the "has a root imports.yaml" test');
        return;
      }
      const r = await runCliProcess(['validate', '-c', config], { cwd: REPO_ROOT });
      assert.equal(r.exitCode, EXIT.ok, r.stderr);
      assert.equal(r.stderr, '');
    });
  }
});
