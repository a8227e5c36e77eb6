// Checks parsed imports.yaml against the JSON Schema with ajv and turns ajv's errors into positioned diagnostics.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic } from '../core/diagnostic.js';
import { loadSchema } from './schema-file.js';
import { collapseAlternatives, renderSchemaError } from './schema-errors.js';
import type { YamlLocator } from './yaml-document.js';

let compiled: ValidateFunction | undefined;

/** Compiled once per process: compiling costs ~70 ms, validating microseconds. */
function getValidator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: true }).compile(loadSchema());
  return compiled;
}

export function validateSchema(data: unknown, locator: YamlLocator): Diagnostic[] {
  const validate = getValidator();
  if (validate(data)) return [];
  const errors: ErrorObject[] = collapseAlternatives(validate.errors ?? []);
  return errors.flatMap((error) => renderSchemaError(error, locator) ?? []);
}
