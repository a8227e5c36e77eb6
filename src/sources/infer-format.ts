// Format and delimiter of a file: the definition's, or inferred from the file's extension.
import { extname } from 'node:path';
import type { Delimiter, SourceFormat } from '../config/types.js';

const BY_EXTENSION: Record<string, SourceFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** Undefined when the extension says nothing (the caller reports E_SOURCE_FORMAT). */
export function inferFormat(path: string, declared: SourceFormat | undefined): SourceFormat | undefined {
  return declared ?? BY_EXTENSION[extname(path).toLowerCase()];
}

export function inferDelimiter(path: string, declared: Delimiter | undefined): Delimiter {
  return declared ?? (extname(path).toLowerCase() === '.tsv' ? '\t' : ',');
}
