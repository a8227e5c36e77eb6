// Finds and reads schemas/imports.schema.json relative to the built code (dist/src/config → ../../../schemas).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Works from dist/src/config/*.js (the build) and from the published package alike. */
export const SCHEMA_URL = new URL('../../../schemas/imports.schema.json', import.meta.url);
export const SCHEMA_PATH = fileURLToPath(SCHEMA_URL);

export function hasSchemaFile(): boolean {
  return existsSync(SCHEMA_PATH);
}

export function readSchemaText(): string {
  return readFileSync(SCHEMA_PATH, 'utf8');
}

let cached: Record<string, unknown> | undefined;

export function loadSchema(): Record<string, unknown> {
  cached ??= JSON.parse(readSchemaText()) as Record<string, unknown>;
  return cached;
}
