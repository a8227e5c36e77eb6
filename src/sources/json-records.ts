// Record-level checks for JSON and JSONL: flat objects, one key set, key fields present, blank/duplicate keys.
import type { Diagnostic } from '../core/diagnostic.js';
import { splitFlatObject } from './flat-object.js';
import { hashKeyValues } from './key-identity.js';
import { type CheckTarget, checkKeyFields, KeyStats, ProblemCollector, problem } from './scan-checks.js';
import { escapedLength } from './sent-bytes.js';

export interface JsonChecksOptions extends CheckTarget {
  keyFields: readonly string[];
  /** Blank and padded keys are errors (delete, removeMissing, prune, send: changes), else warnings. */
  strictKeys: boolean;
  /** Repeated keys are errors (send: changes, prune), else warnings. */
  uniqueKeys?: boolean | undefined;
  /** Rows mode: with unique keys, repeats are the row diff's to find (as for CSV). */
  rows?: boolean | undefined;
}

export class JsonRecordChecks {
  /** Rows mode: each record parsed, with its text as read. */
  onRecord?: (values: Record<string, unknown>, text: string, line: number) => void;
  header: string[] | undefined;
  rows = 0;
  /** The escaped length of the records as stream-source-text renders them (see sent-bytes.ts). */
  sentBytes = 0;
  readonly keys: KeyStats;
  private headerSet = new Set<string>();
  private trackKeys = false;
  private readonly early: Diagnostic[] = [];
  private readonly invalid = new ProblemCollector(
    'error',
    'E_SOURCE_JSON',
    (n) => `${n} records are not valid JSON objects`,
  );
  private readonly nested = new ProblemCollector(
    'error',
    'E_SOURCE_NESTED',
    (n) => `${n} records hold nested values`,
  );
  private readonly keyset = new ProblemCollector(
    'error',
    'E_SOURCE_KEYSET',
    (n) => `${n} records have a different set of keys than the first record`,
  );

  constructor(private readonly options: JsonChecksOptions) {
    this.keys = new KeyStats(!(options.rows === true && options.uniqueKeys === true));
  }

  /** A structural problem found by a splitter (not an array, garbage after it, ...). */
  addSyntaxError(message: string, line: number, column: number): void {
    this.early.push(problem('error', 'E_SOURCE_JSON', message, this.options, line, column));
  }

  accept(text: string, line: number): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.invalid.add(line, 1, () => `invalid JSON: ${(error as Error).message}`);
      return;
    }
    if (!isRecord(value)) {
      this.invalid.add(line, 1, () => 'not an object: the data must be flat objects, one per record');
      return;
    }
    this.rows += 1;
    this.sentBytes += renderedLength(text, value);
    const keys = Object.keys(value);
    if (this.header === undefined) this.acceptHeader(keys);
    else if (!this.hasHeaderKeys(keys)) this.keyset.add(line, 1, () => this.describeKeySet(keys));
    const nestedKey = keys.find((k) => typeof value[k] === 'object' && value[k] !== null);
    if (nestedKey !== undefined) {
      const kind = Array.isArray(value[nestedKey]) ? 'an array' : 'an object';
      this.nested.add(
        line,
        1,
        () => `"${nestedKey}" holds ${kind}: values must be strings, numbers, booleans or null`,
      );
    }
    if (this.trackKeys) this.trackKey(value, line);
    this.onRecord?.(value, text, line);
  }

  /** Call once, at the end of the file. */
  diagnostics(): Diagnostic[] {
    this.keys.release();
    const out = [
      ...this.early,
      ...this.invalid.toDiagnostics(this.options),
      ...this.nested.toDiagnostics(this.options),
      ...this.keyset.toDiagnostics(this.options),
      ...this.keys.toDiagnostics(this.options, this.options.keyFields, {
        strict: this.options.strictKeys,
        unique: this.options.uniqueKeys,
      }),
    ];
    if (this.rows === 0)
      out.push(problem('warning', 'E_SOURCE_EMPTY', 'no data records', this.options, 1, 1));
    return out;
  }

  private acceptHeader(keys: string[]): void {
    this.header = keys;
    this.headerSet = new Set(keys);
    this.early.push(...checkKeyFields(keys, this.options.keyFields, this.options));
    this.trackKeys =
      this.options.keyFields.length > 0 && this.options.keyFields.every((k) => this.headerSet.has(k));
  }

  private hasHeaderKeys(keys: string[]): boolean {
    return keys.length === this.headerSet.size && keys.every((k) => this.headerSet.has(k));
  }

  private describeKeySet(keys: string[]): string {
    const own = new Set(keys);
    const missing = [...this.headerSet].filter((k) => !own.has(k));
    const extra = keys.filter((k) => !this.headerSet.has(k));
    const parts = [];
    if (missing.length > 0) parts.push(`missing ${missing.map((k) => `"${k}"`).join(', ')}`);
    if (extra.length > 0) parts.push(`extra ${extra.map((k) => `"${k}"`).join(', ')}`);
    return `the keys differ from the first record's: ${parts.join('; ')}`;
  }

  private trackKey(value: Record<string, unknown>, line: number): void {
    const values = this.options.keyFields.map((k) => keyText(value[k]));
    if (this.keys.add(hashKeyValues(values), line)) this.keys.addExample(values.join(' / '), line);
  }
}

/**
 * The escaped length of a record as stream-source-text renders it: `{"key":rawValue,...}`, raw values as written
 * (a flat object), else re-serialized; the key order it writes does not change the length.
 */
function renderedLength(text: string, value: Record<string, unknown>): number {
  const fields = splitFlatObject(text) ?? Object.entries(value).map(([k, v]) => [k, JSON.stringify(v)]);
  let length = 1; // {
  for (const [key, raw] of fields) length += escapedLength(JSON.stringify(key)) + 1 + escapedLength(raw) + 1; // : and , or }
  return Math.max(length, 2);
}

function keyText(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
