// Checks parsed imports.yaml against the JSON Schema with ajv and turns ajv's errors into positioned diagnostics.
import { createDiagnostic, type Diagnostic } from '../core/diagnostic.js';
import { collapseAlternatives, renderSchemaError } from './schema-errors.js';
// Compiled at build time (scripts/build-schema-validator.mjs): loading ajv and compiling cost ~80 ms a start.
import { validate } from './schema-validator.generated.js';
import type { YamlLocator } from './yaml-document.js';

export function validateSchema(data: unknown, locator: YamlLocator): Diagnostic[] {
  if (data === null || data === undefined) {
    return [
      createDiagnostic('error', 'E_CONFIG_SCHEMA', 'the file is empty', {
        position: locator.valueAt([]),
        hint: 'start from `copernica-sync init`, or write at least `version: 1` and `imports:`',
      }),
    ];
  }
  if (validate(data)) return [];
  const rendered = collapseAlternatives(validate.errors ?? []).flatMap(
    (e) => renderSchemaError(e, locator) ?? [],
  );
  // An import's schema is shared through a $ref: its type check can fire at the reference and inside it.
  const seen = new Set<string>();
  return rendered.filter((d) => {
    const key = JSON.stringify([d.code, d.message, d.position]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
