// Shared helpers for the source tests: fixture paths, default scan options, diagnostic lookups.
import { join } from 'node:path';
import type { ImportDefinition } from '../../src/config/types.js';
import type { Diagnostic } from '../../src/core/diagnostic.js';
import { type ScanOptions, scanFile } from '../../src/sources/scan-file.js';
import type { FileScan } from '../../src/sources/types.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { buildImport } from '../plan/builders.js';

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'sources');

export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

export function scanOptions(name: string, overrides: Partial<ScanOptions> = {}): ScanOptions {
  const format = name.endsWith('.json') ? 'json' : /\.(jsonl|ndjson)$/.test(name) ? 'jsonl' : 'csv';
  return {
    displayPath: `data/${name}`,
    format,
    delimiter: name.endsWith('.tsv') ? '\t' : ',',
    delimiterDeclared: name.endsWith('.tsv'),
    encoding: 'utf-8',
    keyFields: ['Email'],
    strictKeys: false,
    importName: 'test',
    ...overrides,
  };
}

export function scanFixture(name: string, overrides: Partial<ScanOptions> = {}): Promise<FileScan> {
  return scanFile(fixturePath(name), scanOptions(name, overrides));
}

export function withCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

/** `line:column severity code` of each diagnostic, for compact assertions. */
export function summarize(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.position?.line}:${d.position?.column} ${d.severity} ${d.code}`);
}

export function createDefinition(overrides: Partial<ImportDefinition> = {}): ImportDefinition {
  return buildImport('newsletter', {
    source: { kind: 'files', globs: ['data/*.csv'] },
    ignoreEmptyFields: false,
    position: { file: 'imports.yaml', line: 5, column: 3 },
    ...overrides,
  });
}
