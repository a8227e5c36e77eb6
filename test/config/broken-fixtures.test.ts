import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validate } from '../../src/run/validate.js';
import { REPO_ROOT } from '../helpers/cli.js';

const BROKEN_DIR = join(REPO_ROOT, 'test', 'fixtures', 'config', 'broken');

/** One file per defect, named for it: the diagnostics it must produce, as [code, line, column]. */
const EXPECTED: Record<string, Array<[string, number, number]>> = {
  'action-unknown': [['E_CONFIG_SCHEMA', 5, 13]],
  'api-version-5': [['E_CONFIG_SCHEMA', 3, 15]],
  'auth-url-plain-http': [['E_CONFIG_URL', 3, 12]],
  'command-empty': [['E_CONFIG_SCHEMA', 6, 14]],
  'command-timeout-not-a-duration': [['E_CONFIG_DURATION', 7, 14]],
  'concurrency-not-integer': [['E_CONFIG_SCHEMA', 2, 14]],
  'concurrency-too-high': [['E_CONFIG_RANGE', 2, 14]],
  'concurrency-zero': [['E_CONFIG_RANGE', 2, 14]],
  'database-missing': [['E_CONFIG_SCHEMA', 3, 3]],
  'database-zero': [['E_CONFIG_RANGE', 4, 15]],
  'delete-target-without-delete': [['E_CONFIG_DELETE_TARGET', 7, 5]],
  'delimiter-pipe': [['E_CONFIG_SCHEMA', 7, 16]],
  'depends-on-cycle': [
    ['E_CONFIG_DEPENDS_CYCLE', 7, 17],
    ['E_CONFIG_DEPENDS_CYCLE', 12, 17],
    ['E_CONFIG_DEPENDS_CYCLE', 17, 17],
  ],
  'depends-on-duplicate': [['E_CONFIG_SCHEMA', 11, 16]],
  'depends-on-itself': [['E_CONFIG_DEPENDS_CYCLE', 7, 17]],
  'depends-on-unknown': [['E_CONFIG_DEPENDS_UNKNOWN', 7, 17]],
  'empty-file': [['E_CONFIG_SCHEMA', 1, 1]],
  'format-unknown': [['E_CONFIG_SCHEMA', 7, 13]],
  'import-name-uppercase': [['E_CONFIG_IMPORT_NAME', 3, 3]],
  'import-not-a-mapping': [['E_CONFIG_SCHEMA', 3, 13]],
  'imports-empty': [['E_CONFIG_SCHEMA', 2, 10]],
  'imports-missing': [['E_CONFIG_SCHEMA', 1, 1]],
  'keyfields-empty': [['E_CONFIG_KEYFIELDS', 5, 16]],
  'keyfields-missing-default-action': [['E_CONFIG_KEYFIELDS', 3, 3]],
  'keyfields-missing': [['E_CONFIG_KEYFIELDS', 5, 5]],
  'keyfields-not-a-list': [['E_CONFIG_SCHEMA', 5, 16]],
  'literal-token-in-token-env': [['E_CONFIG_LITERAL_TOKEN', 3, 13]],
  'literal-token-in-url': [['E_CONFIG_LITERAL_TOKEN', 3, 8]],
  'literal-token-key': [['E_CONFIG_LITERAL_TOKEN', 3, 3]],
  'location-plain-http': [['E_CONFIG_LOCATION_HTTPS', 6, 15]],
  'max-shrink-above-one': [['E_CONFIG_RANGE', 3, 14]],
  'merged-value-invalid': [['E_CONFIG_SCHEMA', 6, 11]],
  'min-rows-negative': [['E_CONFIG_RANGE', 8, 16]],
  'no-source': [['E_CONFIG_SOURCE_COUNT', 3, 3]],
  'remove-missing-from-defaults-per-file': [['E_CONFIG_REMOVE_MISSING', 5, 3]],
  'remove-missing-per-file': [['E_CONFIG_REMOVE_MISSING', 8, 5]],
  'remove-missing-with-delete': [['E_CONFIG_REMOVE_MISSING', 8, 5]],
  'retry-attempts-too-high': [['E_CONFIG_RANGE', 4, 15]],
  'source-absolute-path': [['E_SOURCE_OUTSIDE', 6, 13]],
  'source-and-command': [['E_CONFIG_SOURCE_COUNT', 7, 5]],
  'source-dotdot-outside': [['E_SOURCE_OUTSIDE', 6, 13]],
  'source-list-with-number': [['E_CONFIG_SCHEMA', 8, 9]],
  'source-matches-nothing': [['E_SOURCE_NO_MATCH', 8, 9]],
  'source-not-a-glob': [['E_CONFIG_SCHEMA', 6, 13]],
  'timeout-not-a-duration': [['E_CONFIG_DURATION', 3, 12]],
  'token-env-not-a-name': [['E_CONFIG_TOKEN_ENV', 3, 13]],
  'unknown-copernica-key': [['E_CONFIG_UNKNOWN_KEY', 4, 3]],
  'unknown-import-key-typo': [['E_CONFIG_UNKNOWN_KEY', 6, 5]],
  'unknown-safety-key': [['E_CONFIG_UNKNOWN_KEY', 4, 3]],
  'unknown-top-level-key': [['E_CONFIG_UNKNOWN_KEY', 2, 1]],
  'url-not-a-url': [['E_CONFIG_URL', 3, 8]],
  'url-plain-http': [['E_CONFIG_URL', 3, 8]],
  'version-2': [['E_CONFIG_VERSION', 1, 10]],
  'version-missing': [['E_CONFIG_VERSION', 1, 1]],
  'x-key-inside-import': [['E_CONFIG_UNKNOWN_KEY', 5, 5]],
  'yaml-alias-bomb': [['E_CONFIG_YAML_ALIAS', 3, 10]],
  'yaml-alias-without-anchor': [['E_CONFIG_YAML_ALIAS', 6, 9]],
  'yaml-custom-tag': [['E_CONFIG_YAML_TAG', 4, 15]],
  'yaml-duplicate-key': [['E_CONFIG_DUPLICATE_KEY', 6, 5]],
  'yaml-merge-alias-bomb': [['E_CONFIG_YAML_ALIAS', 4, 18]],
  'yaml-merge-not-a-mapping': [['E_CONFIG_YAML_MERGE', 6, 9]],
  'yaml-multiple-documents': [['E_CONFIG_YAML', 7, 1]],
  'yaml-tab-indent': [['E_CONFIG_YAML', 4, 1]],
  'yaml-unclosed-flow-list': [['E_CONFIG_YAML', 6, 5]],
  'yaml-unclosed-quote': [['E_CONFIG_YAML', 4, 18]],
  'yaml-unclosed-single-quote': [['E_CONFIG_YAML', 5, 17]],
};

describe('broken imports.yaml fixtures: one defect each, code and position', () => {
  it('has a table row for every fixture and at least 30 of them', () => {
    const files = readdirSync(BROKEN_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''))
      .sort();
    assert.deepEqual(files, Object.keys(EXPECTED).sort());
    assert.ok(files.length >= 30, `only ${files.length} fixtures`);
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(name, async () => {
      const result = await validate({ config: `${name}.yaml`, cwd: BROKEN_DIR, env: {} });
      const actual = result.diagnostics.map((d) => [d.code, d.position?.line, d.position?.column]);
      assert.deepEqual(actual, expected);
      assert.equal(result.valid, false);
      for (const d of result.diagnostics) {
        assert.equal(d.severity, 'error');
        assert.equal(d.position?.file, `${name}.yaml`);
      }
    });
  }
});
