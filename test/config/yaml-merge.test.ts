// Merge keys (`<<: *common`), top-level x- anchor holders, and where YAML problems are reported.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfigText, withoutExtensionKeys } from '../../src/config/parse-config-text.js';
import { MAX_ALIAS_COUNT, parseYamlText } from '../../src/config/yaml-document.js';

function parse(text: string) {
  return parseConfigText(text, 'imports.yaml', { file: '/repo/imports.yaml', env: {} });
}

/** `[code, line, column]` of each diagnostic. */
function where(text: string): Array<[string, number | undefined, number | undefined]> {
  return parse(text).diagnostics.map((d) => [d.code, d.position?.line, d.position?.column]);
}

const SHARED = [
  'version: 1',
  'x-common: &common',
  '  database: 1',
  '  keyFields: [Email]',
  '  ignoreEmptyFields: true',
  'x-add: &add { action: add, database: 9 }',
  'imports:',
  '  a:',
  '    <<: *common',
  '    source: a.csv',
  '  b:',
  '    <<: [*add, *common]',
  '    source: b.csv',
  '  c:',
  '    database: 3',
  '    <<: *common',
  '    source: c.csv',
  '',
].join('\n');

describe('merge keys and x- holders', () => {
  it('an import takes its options from one anchor or a list of them; its own keys and earlier sources win', () => {
    const { config, diagnostics } = parse(SHARED);
    assert.deepEqual(diagnostics, []);
    const byName = new Map(config?.imports.map((i) => [i.name, i]));
    const summary = (name: string) => {
      const i = byName.get(name);
      return [i?.database, i?.action, i?.keyFields, i?.ignoreEmptyFields];
    };
    assert.deepEqual(summary('a'), [1, 'update or add', ['Email'], true]);
    assert.deepEqual(summary('b'), [9, 'add', ['Email'], true]);
    assert.deepEqual(summary('c'), [3, 'update or add', ['Email'], true]);
    assert.deepEqual(byName.get('a')?.position, { file: 'imports.yaml', line: 8, column: 3 });
  });

  it('the locator finds a merged value in its anchor, and a written value in the import', () => {
    const { locator } = parseYamlText(SHARED, 'imports.yaml');
    const at = (path: Array<string | number>) => {
      const p = locator.valueAt(path);
      return [p.line, p.column];
    };
    assert.deepEqual(at(['imports', 'a', 'database']), [3, 13]);
    assert.deepEqual(at(['imports', 'b', 'database']), [6, 38], 'the first source of the list wins');
    assert.deepEqual(at(['imports', 'c', 'database']), [15, 15]);
    assert.deepEqual(at(['imports', 'a', 'keyFields', 0]), [4, 15]);
    assert.equal(locator.has(['imports', 'a', 'ignoreEmptyFields']), true);
    assert.equal(locator.has(['imports', 'a', 'format']), false);
  });

  it('an error in a merged value points into the anchor; a missing key points at the import', () => {
    const text = [
      'version: 1',
      'x-common: &common',
      '  keyFields: [Email]',
      '  ignoreEmptyFields: maybe',
      'imports:',
      '  a:',
      '    <<: *common',
      '    source: a.csv',
      '',
    ].join('\n');
    assert.deepEqual(where(text), [
      ['E_CONFIG_SCHEMA', 4, 22],
      ['E_CONFIG_SCHEMA', 6, 3],
    ]);
  });

  it('top-level x- keys are ignored whatever they hold; nothing after parsing sees them', () => {
    const text =
      'version: 1\nx-junk: { version: 2, imports: 5 }\nx-list: [1, 2]\nimports:\n  a: { database: 1, keyFields: [Email], source: a.csv }\n';
    assert.deepEqual(where(text), []);
    assert.deepEqual(withoutExtensionKeys({ version: 1, 'x-a': 1, imports: { 'x-b': {} } }), {
      version: 1,
      imports: { 'x-b': {} },
    });
    assert.equal(withoutExtensionKeys(null), null);
    assert.deepEqual(withoutExtensionKeys([1]), [1]);
  });

  it('a custom tag inside an anchor is still refused', () => {
    const text = SHARED.replace('database: 1\n', 'database: !env DB\n');
    assert.deepEqual(where(text), [['E_CONFIG_YAML_TAG', 3, 13]]);
  });

  // The yaml package counts one more than the uses, so the limit allows MAX_ALIAS_COUNT - 1 of them.
  it(`one anchor may be merged ${MAX_ALIAS_COUNT - 1} times; one more is the alias limit`, () => {
    const imports = (n: number) =>
      Array.from({ length: n }, (_, i) => `  i${i}: { <<: *common, source: a.csv }`).join('\n');
    const file = (n: number) =>
      `version: 1\nx-common: &common { database: 1, keyFields: [Email] }\nimports:\n${imports(n)}\n`;
    assert.deepEqual(where(file(MAX_ALIAS_COUNT - 1)), []);
    assert.deepEqual(
      where(file(MAX_ALIAS_COUNT)).map(([code]) => code),
      ['E_CONFIG_YAML_ALIAS'],
    );
  });

  it('merge values that are not mappings, and aliases with no anchor, are positioned', () => {
    const base = 'version: 1\nx-a: &a { database: 1 }\nx-s: &s [Email]\nimports:\n  a:\n';
    assert.deepEqual(where(`${base}    <<: [*a, 5]\n    source: a.csv\n`), [['E_CONFIG_YAML_MERGE', 6, 14]]);
    assert.deepEqual(where(`${base}    <<:\n    source: a.csv\n`), [['E_CONFIG_YAML_MERGE', 6, 8]]);
    assert.deepEqual(where(`${base}    <<: *s\n    source: a.csv\n`), [['E_CONFIG_YAML_MERGE', 6, 9]]);
    assert.deepEqual(where(`${base}    <<: *b\n    source: a.csv\n`), [['E_CONFIG_YAML_ALIAS', 6, 9]]);
    assert.deepEqual(where(`${base}    keyFields: *k\n    <<: *a\n`), [['E_CONFIG_YAML_ALIAS', 6, 16]]);
  });

  it('a quoted "<<" is an ordinary key, not a merge', () => {
    const text = 'version: 1\nx-a: &a { database: 1 }\nimports:\n  a:\n    "<<": *a\n    source: a.csv\n';
    assert.deepEqual(
      where(text).map(([code]) => code),
      ['E_CONFIG_KEYFIELDS', 'E_CONFIG_SCHEMA', 'E_CONFIG_UNKNOWN_KEY'],
    );
  });
});

describe('an unclosed quote', () => {
  for (const [name, line, column] of [
    ['    description: "Contacts from the CRM\n', 5, 18],
    ["    description: 'Contacts from the CRM\n", 5, 18],
    ['    keyFields: ["Email, Name]\n', 5, 17],
    ['    description: "Contacts\n    source: "a.csv"\n', 5, 18],
  ] as const) {
    it(`is reported where it opens: ${JSON.stringify(name.trim())}`, () => {
      const text = `version: 1\nimports:\n  a:\n    database: 1\n${name}    action: add\n    source: a.csv\n`;
      // A later quote may close the string and garble what follows; the first error is the quote.
      const first = parse(text).diagnostics[0];
      assert.deepEqual(
        [first?.code, first?.position?.line, first?.position?.column],
        ['E_CONFIG_YAML', line, column],
      );
    });
  }
});
