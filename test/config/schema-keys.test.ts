import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { PARAMETERS } from '../../src/config/parameters.js';
import { AJV_OPTIONS, loadSchema } from '../../src/config/schema-file.js';
import {
  DEFAULTS,
  RAW_COPERNICA_KEYS,
  RAW_DEFAULTS_KEYS,
  RAW_IMPORT_KEYS,
  RAW_RETRY_KEYS,
  RAW_SAFETY_KEYS,
  RAW_TOP_KEYS,
} from '../../src/config/types.js';
import { parseDuration } from '../../src/core/duration.js';

type SchemaNode = {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  description?: string;
  default?: unknown;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
};

const schema = loadSchema() as SchemaNode & { $schema?: string };
const top = schema.properties ?? {};
const objectAt = (node: SchemaNode | undefined) => Object.keys(node?.properties ?? {}).sort();
/** An import's keys are defined once, in definitions.import; imports and defaults refer to it. */
const importSchema = (schema as { definitions?: Record<string, SchemaNode> }).definitions
  ?.import as SchemaNode;

describe('the JSON Schema and the TypeScript types stay in step', () => {
  it('is draft-07 and a valid schema under ajv strict mode', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const ajv = new Ajv({ ...AJV_OPTIONS, validateSchema: true });
    assert.equal(ajv.validateSchema(schema), true, JSON.stringify(ajv.errors));
    assert.equal(typeof ajv.compile(schema), 'function');
  });

  it('lists exactly the keys of every raw type', () => {
    assert.deepEqual(objectAt(schema), [...RAW_TOP_KEYS].sort());
    assert.deepEqual(objectAt(top.copernica), [...RAW_COPERNICA_KEYS].sort());
    assert.deepEqual(objectAt(top.copernica?.properties?.retry), [...RAW_RETRY_KEYS].sort());
    assert.deepEqual(objectAt(top.safety), [...RAW_SAFETY_KEYS].sort());
    assert.deepEqual(objectAt(importSchema), [...RAW_IMPORT_KEYS].sort());
    const ownKeys =
      (top.defaults as { propertyNames?: { not?: { enum?: string[] } } }).propertyNames?.not?.enum ?? [];
    assert.deepEqual(
      objectAt(importSchema).filter((key) => !ownKeys.includes(key)),
      [...RAW_DEFAULTS_KEYS].sort(),
    );
    assert.deepEqual(objectAt(importSchema.properties?.safety), [...RAW_SAFETY_KEYS].sort());
  });

  it('closes every object with additionalProperties: false and describes every property', () => {
    const visit = (node: SchemaNode, path: string): void => {
      if (node.properties) {
        assert.equal(node.additionalProperties, false, `${path} must set additionalProperties: false`);
        for (const [key, child] of Object.entries(node.properties)) {
          assert.ok(child.description, `${path}.${key} needs a description`);
          visit(child, `${path}.${key}`);
        }
      }
      if (typeof node.additionalProperties === 'object') visit(node.additionalProperties, `${path}.*`);
    };
    visit(schema, '$');
    visit(importSchema, '$.definitions.import');
  });

  it('documents the same defaults the code uses', () => {
    const c = top.copernica?.properties ?? {};
    assert.equal(c.url?.default, DEFAULTS.url);
    assert.equal(c.authUrl?.default, DEFAULTS.authUrl);
    assert.equal(c.apiVersion?.default, DEFAULTS.apiVersion);
    assert.equal(c.tokenEnv?.default, DEFAULTS.tokenEnv);
    assert.equal(c.retry?.properties?.attempts?.default, DEFAULTS.retryAttempts);
    assert.equal(parseDuration(String(c.timeout?.default)), DEFAULTS.timeoutMs);
    assert.equal(parseDuration(String(c.retry?.properties?.maxDelay?.default)), DEFAULTS.retryMaxDelayMs);
    assert.equal(parseDuration(String(importSchema.properties?.timeout?.default)), DEFAULTS.commandTimeoutMs);
    assert.equal(top.state?.default, DEFAULTS.state);
    assert.equal(top.concurrency?.default, DEFAULTS.concurrency);
    for (const name of RAW_DEFAULTS_KEYS) {
      const documented = importSchema.properties?.[name]?.default;
      if (name === 'timeout') continue; // documented as a duration, checked above
      // A list or an absent value has no documented default; the rest match the table.
      if (Array.isArray(PARAMETERS[name].default) || PARAMETERS[name].default === undefined) continue;
      assert.deepEqual(documented, PARAMETERS[name].default, name);
    }
    for (const key of RAW_SAFETY_KEYS)
      assert.equal(top.safety?.properties?.[key]?.default, DEFAULTS.safety[key]);
  });
});
