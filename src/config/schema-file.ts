// Finds and reads schemas/imports.schema.json relative to the built code (dist/src/config → ../../../schemas).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Works from dist/src/config/*.js, the bundle in dist/src/bundle/ (the same depth) and the published package. */
const SCHEMA_URL = new URL('../../../schemas/imports.schema.json', import.meta.url);
export const SCHEMA_PATH = fileURLToPath(SCHEMA_URL);

/** Where `npm run build` (scripts/build-schema-validator.mjs) writes the precompiled validator. */
export const GENERATED_VALIDATOR_URL = new URL('./schema-validator.generated.js', import.meta.url);

/** Options for checking imports.yaml; `verbose` gives errors their schema and data for better messages. */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true } as const;

export function readSchemaText(): string {
  return readFileSync(SCHEMA_PATH, 'utf8');
}

let cached: Record<string, unknown> | undefined;

export function loadSchema(): Record<string, unknown> {
  cached ??= JSON.parse(readSchemaText()) as Record<string, unknown>;
  return cached;
}
