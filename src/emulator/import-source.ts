// Reads an import's data into a header and rows: CSV (three delimiters, quotes) or JSON (string or array).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type InfoField, parse as parseCsv } from 'csv-parse/sync';
import type { ImportRequest } from './import-request.js';

export interface ImportTable {
  columns: string[];
  rows: string[][];
}

/** A source Copernica could not read: becomes the import's `lasterror`. */
export class ImportSourceError extends Error {}

export function readImportTable(request: ImportRequest): ImportTable {
  if (request.location !== undefined) return readLocation(request);
  const source = request.source;
  if (Array.isArray(source)) return tableFromRecords(source);
  if (request.format === 'json') return tableFromRecords(parseJsonText(source ?? ''));
  return tableFromCsv(source ?? '', request.delimiter);
}

/** Only file:// locations are read; the emulator never fetches from the network. */
function readLocation(request: ImportRequest): ImportTable {
  const location = request.location ?? '';
  if (!location.startsWith('file://')) {
    throw new ImportSourceError(`Could not read the source at ${location}`);
  }
  let text: string;
  try {
    text = readFileSync(fileURLToPath(location), 'utf8');
  } catch {
    throw new ImportSourceError(`Could not read the source at ${location}`);
  }
  if (request.format === 'json' || location.endsWith('.json')) return tableFromRecords(parseJsonText(text));
  return tableFromCsv(text, request.delimiter);
}

function tableFromCsv(text: string, delimiter: string): ImportTable {
  const records = parseCsvDialect(text, delimiter);
  const [header, ...rows] = records;
  if (!header) throw new ImportSourceError('The data has no header line');
  return { columns: header.map((c) => c.trim()), rows };
}

/**
 * The one CSV dialect (DESIGN.md section 8), as the tool's scanner reads it: RFC 4180 with one delimiter, `"`
 * quotes (doubled inside quoted fields), LF or CRLF line ends, a UTF-8 BOM, blank lines skipped; every record
 * as long as the first. A stray quote, text after a closing quote or a lone CR outside quotes fails the import.
 * test/sources/csv-dialect.test.ts holds the scanner to this.
 */
export function parseCsvDialect(text: string, delimiter: string): string[][] {
  try {
    return parseCsv(text, {
      delimiter,
      quote: '"',
      escape: '"',
      bom: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n'],
      cast: refuseLoneCr,
    });
  } catch (error) {
    throw new ImportSourceError(`Could not parse the CSV data: ${(error as Error).message}`);
  }
}

/** csv-parse takes a CR that does not end a CRLF as data; in an unquoted field the dialect refuses it. */
function refuseLoneCr(value: string, context: InfoField): string {
  if (!context.quoting && value.includes('\r')) {
    throw new Error(
      `a CR not followed by LF at line ${context.lines}: save the file with LF or CRLF line ends`,
    );
  }
  return value;
}

function parseJsonText(text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new ImportSourceError('Could not parse the JSON data');
  }
  if (!Array.isArray(parsed)) throw new ImportSourceError('The JSON data is not an array of records');
  return parsed;
}

/** Every record must list its keys in the first record's order, as Copernica requires. */
function tableFromRecords(records: unknown[]): ImportTable {
  const first = records[0];
  if (first === undefined) return { columns: [], rows: [] };
  const columns = keysOf(first, 1);
  const rows = records.map((record, index) => {
    const keys = keysOf(record, index + 1);
    if (keys.length !== columns.length || keys.some((k, i) => k !== columns[i])) {
      throw new ImportSourceError(
        `Record ${index + 1} lists its fields in a different order than the first record`,
      );
    }
    const values = record as Record<string, unknown>;
    return keys.map((k) => toCell(values[k]));
  });
  return { columns, rows };
}

function keysOf(record: unknown, line: number): string[] {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new ImportSourceError(`Record ${line} is not an object`);
  }
  return Object.keys(record);
}

function toCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
