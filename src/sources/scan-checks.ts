// Checks shared by the CSV and JSON scanners: key fields in the header, blank and duplicate keys, counted problems.
import type { Diagnostic, Severity } from '../core/diagnostic.js';
import { KeyHashTable } from './key-table.js';

/** How many occurrences of one problem get their own diagnostic; the rest are counted. */
export const MAX_EXAMPLES = 3;
const MAX_DUPLICATE_EXAMPLES = 5;

export interface CheckTarget {
  displayPath: string;
  importName: string;
}

/** E_SOURCE_KEY_MISSING for each key field absent from the header, saying when it differs only by case/BOM/space. */
export function checkKeyFields(
  header: readonly string[],
  keyFields: readonly string[],
  target: CheckTarget,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const key of keyFields) {
    if (header.includes(key)) continue;
    const near = header.find((name) => normalizeName(name) === normalizeName(key));
    const message =
      near === undefined ? `key field "${key}" is not in the header` : describeNearMiss(key, near);
    out.push(problem('error', 'E_SOURCE_KEY_MISSING', message, target, 1, 1));
  }
  return out;
}

/** Column index of every key field, or undefined when one is missing (then keys are not tracked). */
export function findKeyIndexes(
  header: readonly string[],
  keyFields: readonly string[],
): number[] | undefined {
  const indexes = keyFields.map((key) => header.indexOf(key));
  return indexes.some((i) => i < 0) ? undefined : indexes;
}

function normalizeName(name: string): string {
  return name
    .replace(/\uFEFF/g, '')
    .trim()
    .toLowerCase();
}

function describeNearMiss(key: string, near: string): string {
  const reasons: string[] = [];
  if (near.includes('\uFEFF')) reasons.push('a stray byte order mark (BOM)');
  if (near.replace(/\uFEFF/g, '') !== near.replace(/\uFEFF/g, '').trim()) reasons.push('surrounding spaces');
  if (near.replace(/\uFEFF/g, '').trim() !== key) reasons.push('letter case');
  return `key field "${key}" is not in the header; column ${JSON.stringify(near)} matches it except for ${reasons.join(' and ')}`;
}

export function problem(
  severity: Severity,
  code: string,
  message: string,
  target: CheckTarget,
  line: number,
  column: number,
): Diagnostic {
  return {
    severity,
    code,
    message: shorten(message),
    position: { file: target.displayPath, line, column },
    importName: target.importName,
  };
}

function withHint(diagnostic: Diagnostic, hint: string | undefined): Diagnostic {
  return hint === undefined ? diagnostic : { ...diagnostic, hint };
}

/** Messages quote column names and values from the data: a hostile file must not make them megabytes long. */
export const MAX_MESSAGE_CHARS = 400;

function shorten(message: string): string {
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}

/** Collects one kind of problem: the first few become diagnostics, the rest a count in a summary diagnostic. */
export class ProblemCollector {
  count = 0;
  private readonly examples: { line: number; column: number; message: string; hint?: string }[] = [];

  constructor(
    private readonly severity: Severity,
    private readonly code: string,
    private readonly summary: (count: number) => string,
  ) {}

  add(line: number, column: number, message: () => string, hint?: string): void {
    this.count += 1;
    if (this.examples.length >= MAX_EXAMPLES) return;
    this.examples.push(
      hint === undefined ? { line, column, message: message() } : { line, column, message: message(), hint },
    );
  }

  toDiagnostics(target: CheckTarget): Diagnostic[] {
    const out = this.examples.map((e) =>
      withHint(problem(this.severity, this.code, e.message, target, e.line, e.column), e.hint),
    );
    const first = this.examples[0];
    if (first && this.count > this.examples.length) {
      const summary = problem(
        this.severity,
        this.code,
        this.summary(this.count),
        target,
        first.line,
        first.column,
      );
      out.push(withHint(summary, first.hint));
    }
    return out;
  }
}

/** Blank and duplicate key accounting for one file, memory bounded by KeyHashTable. */
export class KeyStats {
  blankKeys = 0;
  duplicateKeys = 0;
  readonly duplicateExamples: string[] = [];
  private readonly blankLines: number[] = [];
  private readonly duplicateLines: number[] = [];
  private table: KeyHashTable | undefined;
  private overflowed = false;

  addBlank(line: number): void {
    this.blankKeys += 1;
    if (this.blankLines.length < MAX_EXAMPLES) this.blankLines.push(line);
  }

  /** Returns true when the key is a duplicate the caller should describe with addExample (the first few). */
  addKey(h1: number, h2: number): boolean {
    this.table ??= KeyHashTable.acquire();
    if (!this.table.add(h1, h2)) return false;
    this.duplicateKeys += 1;
    return this.duplicateExamples.length < MAX_DUPLICATE_EXAMPLES;
  }

  addExample(value: string, line: number): void {
    this.duplicateExamples.push(value);
    this.duplicateLines.push(line);
  }

  /** Frees the key table for the next file; call once the file is done. */
  release(): void {
    if (!this.table) return;
    this.overflowed = this.table.overflowed;
    this.table.release();
    this.table = undefined;
  }

  toDiagnostics(target: CheckTarget, keyFields: readonly string[], blankSeverity: Severity): Diagnostic[] {
    const out: Diagnostic[] = [];
    const keys = keyFields.join(', ');
    const firstBlank = this.blankLines[0];
    if (firstBlank !== undefined) {
      const lines = `line${this.blankLines.length > 1 ? 's' : ''} ${this.blankLines.join(', ')}`;
      const message = `${this.blankKeys} record(s) have a blank key (${keys}), first at ${lines}`;
      out.push(problem(blankSeverity, 'E_SOURCE_BLANK_KEY', message, target, firstBlank, 1));
    }
    const firstDuplicate = this.duplicateLines[0];
    if (firstDuplicate !== undefined) {
      const examples = this.duplicateExamples
        .map((v, i) => `${v} (line ${this.duplicateLines[i]})`)
        .join(', ');
      const message = `${this.duplicateKeys} record(s) repeat an earlier key (${keys}): ${examples}`;
      out.push(problem('warning', 'E_SOURCE_DUPLICATE_KEY', message, target, firstDuplicate, 1));
    }
    if (this.overflowed) {
      const message =
        'too many distinct keys to track duplicates in bounded memory; duplicate counting stopped early';
      out.push(problem('warning', 'E_SOURCE_DUPLICATE_KEY', message, target, 1, 1));
    }
    return out;
  }
}

/** A blank key value: empty or only whitespace. */
export function isBlankText(value: string): boolean {
  return value.trim() === '';
}
