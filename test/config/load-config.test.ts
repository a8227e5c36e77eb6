import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { PARAMETERS } from '../../src/config/parameters.js';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { DEFAULTS } from '../../src/config/types.js';
import { validate } from '../../src/run/validate.js';
import { REPO_ROOT } from '../helpers/cli.js';

const VALID_DIR = join(REPO_ROOT, 'test', 'fixtures', 'config', 'valid');

function parse(text: string, env: NodeJS.ProcessEnv = {}) {
  return parseConfigText(text, 'imports.yaml', { file: '/repo/imports.yaml', env });
}

const MINIMAL =
  'version: 1\nimports:\n  contacts:\n    database: 1\n    keyFields: [Email]\n    source: data/*.csv\n';

describe('loadConfig on valid files', () => {
  for (const name of ['full', 'minimal', 'anchors', 'merge-keys']) {
    it(`${name}.yaml validates with no diagnostics, globs included`, async () => {
      const result = await validate({ config: `${name}.yaml`, cwd: VALID_DIR, env: {} });
      assert.deepEqual(result.diagnostics, []);
      assert.equal(result.valid, true);
    });
  }

  it('normalizes full.yaml: defaults and safety merged under each import, paths absolute, durations in ms', async () => {
    const { config } = await loadConfig('full.yaml', { cwd: VALID_DIR, env: {} });
    assert.ok(config);
    assert.equal(config.file, join(VALID_DIR, 'full.yaml'));
    assert.equal(config.dir, VALID_DIR);
    assert.equal(config.statePath, join(VALID_DIR, '.copernica-sync', 'state.json'));
    assert.deepEqual(config.copernica, {
      url: 'https://api.copernica.com',
      authUrl: 'https://authenticate.copernica.com',
      apiVersion: 4,
      tokenEnv: 'COPERNICA_ACCESS_TOKEN',
      timeoutMs: 60_000,
      retry: { attempts: 5, maxDelayMs: 30_000 },
    });
    const byName = new Map(config.imports.map((i) => [i.name, i]));
    assert.deepEqual(
      [...byName.keys()],
      ['newsletter', 'partners', 'orders', 'unsubscribes', 'partner-feed'],
    );
    const newsletter = byName.get('newsletter');
    assert.equal(newsletter?.ignoreEmptyFields, false, 'the import overrides defaults');
    assert.deepEqual(newsletter?.safety, { minRows: 1, maxShrink: 0.1, maxDeleteShare: 0.3 });
    assert.deepEqual(newsletter?.source, {
      kind: 'files',
      globs: ['data/newsletter/*.csv', '!data/newsletter/old.csv'],
    });
    assert.deepEqual(newsletter?.position, { file: 'full.yaml', line: 25, column: 3 });
    assert.deepEqual(newsletter?.sourcePositions, [
      { file: 'full.yaml', line: 31, column: 9 },
      { file: 'full.yaml', line: 32, column: 9 },
    ]);
    const partners = byName.get('partners');
    assert.equal(partners?.ignoreEmptyFields, true, 'inherited from defaults');
    assert.equal(partners?.action, 'update or add');
    assert.equal(partners?.delimiter, '\t');
    assert.deepEqual(partners?.dependsOn, ['newsletter']);
    assert.deepEqual(byName.get('orders')?.source, {
      kind: 'command',
      argv: ['./scripts/export-orders.sh', '--since', '30d'],
      timeoutMs: 120_000,
    });
    assert.equal(byName.get('unsubscribes')?.deleteTarget, 'profile');
    assert.deepEqual(byName.get('partner-feed')?.source, {
      kind: 'location',
      url: 'https://partner.example.com/feed.csv',
    });
  });

  it('fills built-in defaults for a minimal file', () => {
    const { config, diagnostics } = parse(MINIMAL);
    assert.deepEqual(diagnostics, []);
    assert.ok(config);
    assert.equal(config.copernica.url, DEFAULTS.url);
    assert.equal(config.concurrency, DEFAULTS.concurrency);
    assert.equal(config.statePath, '/repo/.copernica-sync/state.json');
    const [only] = config.imports;
    assert.equal(only?.action, PARAMETERS.action.default);
    assert.equal(only?.mode, 'combined');
    assert.equal(only?.encoding, 'utf-8');
    assert.equal(only?.autostart, true);
    assert.equal(only?.format, undefined);
    assert.deepEqual(only?.safety, DEFAULTS.safety);
    assert.deepEqual(only?.sourcePositions, [{ file: 'imports.yaml', line: 6, column: 13 }]);
  });

  it('lets COPERNICA_API_URL override copernica.url, and checks it', () => {
    const ok = parse(MINIMAL, { COPERNICA_API_URL: 'http://127.0.0.1:8787/' });
    assert.equal(ok.config?.copernica.url, 'http://127.0.0.1:8787');
    const bad = parse(MINIMAL, { COPERNICA_API_URL: 'http://example.com' });
    assert.equal(bad.config, undefined);
    assert.deepEqual(
      bad.diagnostics.map((d) => d.code),
      ['E_CONFIG_URL'],
    );
  });

  it('keeps an absolute state path as written', () => {
    const { config } = parse(`state: /var/lib/sync/state.json\n${MINIMAL}`);
    assert.equal(config?.statePath, '/var/lib/sync/state.json');
  });
});

describe('loadConfig problems', () => {
  it('reports a missing file with a hint to run init', async () => {
    const { config, diagnostics } = await loadConfig('nope.yaml', { cwd: VALID_DIR });
    assert.equal(config, undefined);
    assert.equal(diagnostics[0]?.code, 'E_CONFIG_NOT_FOUND');
    assert.match(diagnostics[0]?.hint ?? '', /copernica-sync init/);
  });

  it('reports a directory as unreadable', async () => {
    const { diagnostics } = await loadConfig('data', { cwd: VALID_DIR });
    assert.equal(diagnostics[0]?.code, 'E_CONFIG_READ');
  });

  it('collects every problem of a file, not just the first', () => {
    const text =
      'version: 1\nconcurrency: 0\nimports:\n  a:\n    database: 1\n    action: add\n    location: http://x.example/a.csv\n';
    const codes = parse(text).diagnostics.map((d) => d.code);
    assert.deepEqual(codes, ['E_CONFIG_RANGE', 'E_CONFIG_LOCATION_HTTPS']);
  });

  it('never echoes a suspected token in any message or hint', () => {
    const token = '0123456789abcdef0123456789abcdef';
    const texts = [
      `version: 1\ncopernica:\n  tokenEnv: ${token}\nimports:\n  a:\n    database: 1\n    action: add\n    source: x\n`,
      `version: 1\ncopernica:\n  token: ${token}\nimports:\n  a:\n    database: 1\n    action: add\n    source: x\n`,
      `version: 1\ncopernica:\n  url: https://x.example/?access_token=${token}\nimports:\n  a:\n    database: 1\n    action: add\n    source: x\n`,
      `version: 1\nimports:\n  a:\n    database: 1\n    action: ${token}\n    source: x\n`,
      `version: 1\nimports:\n  a:\n    database: [${token}\n`,
    ];
    for (const text of texts) {
      const { diagnostics } = parse(text);
      assert.ok(diagnostics.length > 0);
      assert.ok(!JSON.stringify(diagnostics).includes(token), JSON.stringify(diagnostics));
    }
  });

  it('points a missing key at its parent key', () => {
    const { diagnostics } = parse('version: 1\nimports:\n  a:\n    source: x\n    keyFields: [Email]\n');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.position?.line, d.position?.column]),
      [['E_CONFIG_SCHEMA', 3, 3]],
    );
  });

  it('suggests a close enum value without echoing the value', () => {
    const { diagnostics } = parse(
      'version: 1\nimports:\n  a:\n    database: 1\n    action: ad\n    source: x\n',
    );
    assert.match(diagnostics[0]?.message ?? '', /did you mean "add"\?/);
  });
});
