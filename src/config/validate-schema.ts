// Checks parsed imports.yaml against the JSON Schema with ajv and turns ajv's errors into positioned diagnostics.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { createDiagnostic, type Diagnostic } from '../core/diagnostic.js';
import { collapseAlternatives, renderSchemaError } from './schema-errors.js';
import { loadSchema } from './schema-file.js';
import type { YamlLocator } from './yaml-document.js';

let compiled: ValidateFunction | undefined;

/** Options for checking imports.yaml; `verbose` gives errors their schema and data for better messages. */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true } as const;

/**
 * Compiled once per process. The meta-schema check is skipped at run time (it halves the ~100 ms compile);
 * test/config/schema-keys.test.ts compiles with it on.
 */
function getValidator(): ValidateFunction {
  compiled ??= new Ajv({ ...AJV_OPTIONS, validateSchema: false }).compile(loadSchema());
  return compiled;
}

export function validateSchema(data: unknown, locator: YamlLocator): Diagnostic[] {
  if (data === null || data === undefined) {
    const hint = 'start from `copernica-sync init`, or write at least `version: 1` and `imports:`';
    return [
      createDiagnostic('error', 'E_CONFIG_SCHEMA', 'the file is empty', {
        position: locator.valueAt([]),
        hint,
      }),
    ];
  }
  const validate = getValidator();
  if (validate(data)) return [];
  const errors: ErrorObject[] = collapseAlternatives(validate.errors ?? []);
  return errors.flatMap((error) => renderSchemaError(error, locator) ?? []);
}
