// The validator `npm run build` generates must answer exactly as ajv compiling the schema at run time would.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { withoutExtensionKeys } from '../../src/config/parse-config-text.js';
import { AJV_OPTIONS, loadSchema } from '../../src/config/schema-file.js';
import { validate as generated } from '../../src/config/schema-validator.generated.js';
import { parseYamlText } from '../../src/config/yaml-document.js';
import { REPO_ROOT } from '../helpers/cli.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'config');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => join(dir, name));
}

/** Every fixture whose YAML parses into data (a syntax error never reaches the schema), as the schema sees it. */
function loadData(files: string[]): Array<{ file: string; data: unknown }> {
  return files.flatMap((file) => {
    const parsed = parseYamlText(readFileSync(file, 'utf8'), file);
    return parsed.usable ? [{ file, data: withoutExtensionKeys(parsed.data) }] : [];
  });
}

describe('the generated schema validator', () => {
  const fresh = new Ajv({ ...AJV_OPTIONS, validateSchema: true }).compile(loadSchema());
  const answer = (validate: typeof fresh | typeof generated, data: unknown) => ({
    valid: validate(data),
    errors: validate.errors ?? null,
  });

  it('accepts every valid fixture and the root imports.yaml, as ajv does', () => {
    const cases = loadData([...yamlFiles(join(FIXTURES, 'valid')), join(REPO_ROOT, 'imports.yaml')]);
    assert.ok(cases.length >= 4, `only ${cases.length} valid files parsed`);
    for (const { file, data } of cases) {
      assert.deepEqual(answer(generated, data), { valid: true, errors: null }, file);
      assert.deepEqual(answer(generated, data), answer(fresh, data), file);
    }
  });

  it('gives the same errors (schema, data and path included) as ajv on every broken fixture', () => {
    const cases = loadData(yamlFiles(join(FIXTURES, 'broken')));
    assert.ok(cases.length >= 30, `only ${cases.length} broken fixtures parsed`);
    let rejected = 0;
    for (const { file, data } of cases) {
      const expected = answer(fresh, data);
      assert.deepEqual(answer(generated, data), expected, file);
      if (!expected.valid) rejected += 1;
    }
    assert.ok(rejected >= 15, `only ${rejected} broken fixtures fail the schema`);
  });
});
