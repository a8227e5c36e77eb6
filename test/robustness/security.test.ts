// Security: YAML alias bombs, a huge single-line file, plain-http locations and URLs, and the token kept out of every file.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import type { Emulator } from '../../src/emulator/start-emulator.js';
import { importsYaml, type Project, startProject } from '../e2e/helpers.js';
import { CLI_PATH, createFixtureDir, REPO_ROOT, runCliProcess } from '../helpers/cli.js';
import { applyUntil } from './crash-harness.js';
import { runCliInProcess } from './run-in-process.js';

const FILE = '/nonexistent/project/imports.yaml';
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** Billion laughs: 9 levels of 9 aliases each, 9^9 nodes if expanded. */
function aliasBomb(): string {
  const lines = ['version: 1', 'x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level < 9; level++) {
    lines.push(
      `x${level}: &a${level} [${Array(9)
        .fill(`*a${level - 1}`)
        .join(', ')}]`,
    );
  }
  lines.push('imports:', '  a: { database: 1, keyFields: [Email], source: a.csv }', '');
  return lines.join('\n');
}

function checkNoStackTrace(output: string): void {
  assert.doesNotMatch(output, /^\s+at .+[:(]/m, 'stack trace in the output');
  assert.doesNotMatch(output, /E_INTERNAL/);
}

describe('YAML alias bombs', () => {
  it('in-process: E_CONFIG_YAML_ALIAS with a position, in bounded time', () => {
    const started = Date.now();
    const result = parseConfigText(aliasBomb(), 'imports.yaml', { file: FILE, env: {} });
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.equal(result.config, undefined);
    const alias = result.diagnostics.find((d) => d.code === 'E_CONFIG_YAML_ALIAS');
    assert.ok(alias?.position && alias.position.line >= 1 && alias.position.column >= 1);
  });

  it('through the CLI: exit 78 quickly, no stack trace', async () => {
    const fixture = createFixtureDir({ 'imports.yaml': aliasBomb(), 'a.csv': 'Email\na@example.com\n' });
    cleanups.push(fixture.cleanup);
    const started = Date.now();
    const r = await runCliProcess(['validate'], { cwd: fixture.dir, timeoutMs: 10_000 });
    assert.equal(r.exitCode, 78, r.stderr);
    assert.match(r.stderr, /imports\.yaml:\d+:\d+ error E_CONFIG_YAML_ALIAS/);
    assert.ok(Date.now() - started < 5000);
    checkNoStackTrace(`${r.stdout}\n${r.stderr}`);
  });
});

describe('a huge single-line file (50 MiB, no newline)', () => {
  const SIZE = 50 * 1024 * 1024;
  const LIMIT_KB = 200 * 1024;
  for (const [format, head] of [
    ['csv', 'Email,'],
    ['json', '[{"Email":"'],
  ] as const) {
    it(`${format}: scanned with peak memory under 200 MB, ending in a diagnostic or success`, async () => {
      const body = Buffer.alloc(SIZE, 'a');
      body.write(head, 0);
      const fixture = createFixtureDir({
        'imports.yaml': `version: 1\nimports:\n  big: { database: 1, keyFields: [Email], source: big.${format} }\n`,
        [`big.${format}`]: body,
      });
      cleanups.push(fixture.cleanup);
      const measure = join(REPO_ROOT, 'test', 'fixtures', 'robustness', 'measure-rss.mjs');
      const r = await runCliProcessVia(measure, ['validate'], fixture.dir);
      const maxRss = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1]);
      assert.ok(maxRss > 0, r.stderr);
      assert.ok(maxRss < LIMIT_KB, `peak RSS ${Math.round(maxRss / 1024)} MB`);
      assert.ok([0, 1, 78].includes(r.exitCode), `exit ${r.exitCode}\n${r.stderr.slice(0, 2000)}`);
      if (r.exitCode !== 0) assert.match(r.stderr, /big\.\w+:\d+:\d+ error E_SOURCE_[A-Z_]+/);
      checkNoStackTrace(`${r.stdout}\n${r.stderr}`.slice(0, 100_000));
    });
  }
});

/** The built CLI run through a wrapper script (same process), e.g. to read its peak memory. */
async function runCliProcessVia(wrapper: string, args: string[], cwd: string) {
  const { execa } = await import('execa');
  const result = await execa(process.execPath, [wrapper, CLI_PATH, ...args], {
    cwd,
    env: { NO_COLOR: '1', GITHUB_ACTIONS: '' },
    reject: false,
    timeout: 30_000,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

describe('plain http', () => {
  it('a location on plain http: E_CONFIG_LOCATION_HTTPS, exit 78, no request', async () => {
    const p = await project({
      'imports.yaml': importsYaml(
        '  feed: { database: 1, keyFields: [Email], location: "http://feed.example.com/a.csv" }',
      ),
    });
    for (const command of ['validate', 'apply']) {
      const r = await p.cli([command]);
      assert.equal(r.exitCode, 78, `${command}: ${r.stderr}`);
      assert.match(r.stderr, /imports\.yaml:\d+:\d+ error E_CONFIG_LOCATION_HTTPS/);
    }
    assert.equal(p.emulator.requests.length, 0);
  });

  const insecure = [
    'http://api.copernica.com',
    'http://127.0.0.1.evil.example',
    'http://localhost.evil.example',
    'http://[::ffff:127.0.0.1]:8787',
    'ftp://127.0.0.1/',
  ];
  it('copernica.url / authUrl on plain http to another host: E_CONFIG_URL before any request', () => {
    for (const url of insecure) {
      for (const key of ['url', 'authUrl']) {
        const text = `version: 1\ncopernica:\n  ${key}: "${url}"\nimports:\n  a: { database: 1, keyFields: [E], source: a.csv }\n`;
        const result = parseConfigText(text, 'imports.yaml', { file: FILE, env: {} });
        const found = result.diagnostics.find((d) => d.code === 'E_CONFIG_URL');
        assert.ok(found?.position?.line === 3, `${key}: ${url} was accepted`);
      }
    }
    for (const url of [
      'http://127.0.0.1:8787',
      'http://localhost:1',
      'http://[::1]:1',
      'https://x.example',
    ]) {
      const text = `version: 1\ncopernica:\n  url: "${url}"\nimports:\n  a: { database: 1, keyFields: [E], source: a.csv }\n`;
      const result = parseConfigText(text, 'imports.yaml', { file: FILE, env: {} });
      assert.equal(
        result.diagnostics.find((d) => d.code === 'E_CONFIG_URL'),
        undefined,
        url,
      );
    }
  });

  it('COPERNICA_API_URL on plain http to another host: apply exits 78 and sends nothing', async () => {
    const p = await project({
      'imports.yaml': importsYaml('  a: { database: Newsletter, keyFields: [Email], source: a.csv }'),
      'a.csv': 'Email\nann@example.com\n',
    });
    const r = await p.cli(['apply'], { COPERNICA_API_URL: 'http://api.copernica.com' });
    assert.equal(r.exitCode, 78, r.stderr);
    assert.match(r.stderr, /E_CONFIG_URL/);
    assert.equal(p.emulator.requests.length, 0);
  });
});

const projects: Project[] = [];
cleanups.push(async () => {
  for (const p of projects) await p.close();
});
async function project(files: Record<string, string>, importDelayMs = 1): Promise<Project> {
  const p = await startProject(files, { importDelayMs });
  projects.push(p);
  return p;
}

/** Every file under `dir` (the state, its temp files, the lock), as text. */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((rel) => join(dir, rel))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path, 'latin1') }));
}

describe('the token is never written to a file', () => {
  it('not to the lock or the state, whether the run is killed, fails, or succeeds (v3 and v4)', async () => {
    const csv = 'Email,Name\nann@example.com,Annie\n';
    for (const apiVersion of [3, 4]) {
      const p = await project(
        {
          'imports.yaml': importsYaml(
            '  a: { database: Newsletter, keyFields: [Email], source: a.csv }\n  b: { database: Newsletter, action: add, source: b.csv }',
            `  apiVersion: ${apiVersion}`,
          ),
          'a.csv': csv,
          'b.csv': csv,
        },
        300,
      );
      const env = { COPERNICA_AUTH_URL: p.emulator.authUrl };
      const lockSeen: string[] = [];
      await applyUntil(
        p,
        {
          name: 'polling a',
          when: (v) => {
            if (v.lockExists()) lockSeen.push(readFileSync(`${p.statePath}.lock`, 'utf8'));
            return v.requests.some((r) => r.path === '/v3/import/1' || r.path === '/v4/import/1');
          },
        },
        env,
      );
      assertNoToken(p.emulator, p.dir, lockSeen);
      p.emulator.faults.next(1, 'drop-after-body', { method: 'POST', path: '/imports' });
      const run = async (args: string[]) => {
        const r = await runCliInProcess(args, {
          cwd: p.dir,
          env: { COPERNICA_API_URL: p.emulator.url, COPERNICA_ACCESS_TOKEN: p.emulator.token, ...env },
        });
        assert.ok(!`${r.stdout}${r.stderr}`.includes(p.emulator.token), 'the token appeared in the output');
        return r;
      };
      const failed = await run(['apply']);
      assert.equal(failed.exitCode, 1, failed.stdout);
      assertNoToken(p.emulator, p.dir, []);
      const wrong = await p.cli(['apply', '--force'], {
        ...env,
        COPERNICA_ACCESS_TOKEN: `${p.emulator.token}x`,
      });
      assert.equal(wrong.exitCode, 1);
      assertNoToken(p.emulator, p.dir, []);
      const ok = await run(['apply', '--force']);
      assert.equal(ok.exitCode, 0, ok.stdout);
      assertNoToken(p.emulator, p.dir, []);
    }
  });
});

function assertNoToken(emulator: Emulator, dir: string, extra: string[]): void {
  assert.ok(extra.length > 0 || filesUnder(dir).length > 0);
  for (const text of extra) assert.ok(!text.includes(emulator.token), 'the token is in the lock file');
  for (const file of filesUnder(dir)) {
    assert.ok(!file.text.includes(emulator.token), `the token is in ${file.path}`);
  }
}
