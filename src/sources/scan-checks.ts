// Checks shared by the CSV and JSON scanners: key fields in the header, blank and duplicate keys, counted problems.
import type { Diagnostic, Severity } from '../core/diagnostic.js';
import { KEY_BLANK, KEY_PADDED, lastKeyHash } from './key-identity.js';
import { KeyHashTable } from './key-table.js';

/** How many occurrences of one problem get their own diagnostic; the rest are counted. */
export const MAX_EXAMPLES = 3;
const MAX_DUPLICATE_EXAMPLES = 5;

export interface CheckTarget {
  displayPath: string;
  importName: string;
}

/**
 * E_SOURCE_KEY_MISSING for each key field absent from the header, saying when it differs only by case/BOM/space,
 * and naming `likelyDelimiter` (a CSV header holding another delimiter than the one it is read with).
 */
export function checkKeyFields(
  header: readonly string[],
  keyFields: readonly string[],
  target: CheckTarget,
  likelyDelimiter?: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const key of keyFields) {
    if (header.includes(key)) continue;
    const near = header.find((name) => normalizeName(name) === normalizeName(key));
    const message =
      near === undefined ? `key field "${key}" is not in the header` : describeNearMiss(key, near);
    const diagnostic = problem('error', 'E_SOURCE_KEY_MISSING', message, target, 1, 1);
    if (likelyDelimiter === undefined) out.push(diagnostic);
    else {
      const shown = JSON.stringify(likelyDelimiter);
      out.push({
        ...diagnostic,
        message: `${diagnostic.message}; the header holds ${shown}: are the columns separated by ${shown}?`,
        hint: `declare the delimiter on the import: delimiter: ${shown}`,
      });
    }
  }
  return out;
}

/** The delimiter a CSV header seems to use instead of `delimiter` (the one occurring most), if any. */
export function findLikelyDelimiter(header: readonly string[], delimiter: string): string | undefined {
  let likely: string | undefined;
  let most = 0;
  for (const candidate of [';', '\t', ',']) {
    if (candidate === delimiter) continue;
    const count = header.reduce((total, name) => total + countOf(name, candidate), 0);
    if (count > most) {
      likely = candidate;
      most = count;
    }
  }
  return likely;
}

/** Occurrences of `char` in `text`, without copying it (a header may be one 50 MiB field). */
function countOf(text: string, char: string): number {
  let count = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) count += 1;
  return count;
}

/** E_SOURCE_DELIMITER: a one-column header holding `;` or a tab, while the import names no delimiter. */
export function checkUndeclaredDelimiter(
  header: readonly string[],
  delimiter: string,
  target: CheckTarget,
): Diagnostic[] {
  const only = header[0];
  if (header.length !== 1 || only === undefined) return [];
  const likely = findLikelyDelimiter(header, delimiter);
  if (likely === undefined || likely === ',') return [];
  const shown = JSON.stringify(likely);
  const message = `the header is one column that holds ${shown}: the file looks ${shown}-separated but is read with ${JSON.stringify(delimiter)}`;
  return [
    {
      ...problem('error', 'E_SOURCE_DELIMITER', message, target, 1, 1),
      hint: `declare the delimiter on the import: delimiter: ${shown} (or delimiter: ${JSON.stringify(delimiter)} if the file really has one column)`,
    },
  ];
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

  /** `total`: how many there were, when more were seen than add() was called for. */
  toDiagnostics(target: CheckTarget, total = this.count): Diagnostic[] {
    const out = this.examples.map((e) =>
      withHint(problem(this.severity, this.code, e.message, target, e.line, e.column), e.hint),
    );
    const first = this.examples[0];
    if (first && total > this.examples.length) {
      const summary = problem(
        this.severity,
        this.code,
        this.summary(total),
        target,
        first.line,
        first.column,
      );
      out.push(withHint(summary, first.hint));
    }
    return out;
  }
}

/** Blank, padded and duplicate key accounting for one file (keys as key-identity.ts defines them), memory bounded. */
export class KeyStats {
  blankKeys = 0;
  duplicateKeys = 0;
  paddedKeys = 0;
  /** Up to 5 repeated key values, as found. */
  readonly duplicateExamples: string[] = [];
  private readonly blankLines: number[] = [];
  /** [line, line of the first record with that key] per duplicate example. */
  private readonly duplicateLines: [number, number][] = [];
  private readonly paddedExamples: { line: number; value: string }[] = [];
  private table: KeyHashTable | undefined;
  private overflowed = false;
  private firstLine = 0;
  private padded = false;

  /** `duplicates: false` leaves repeated keys to the row diff, which compares every key anyway (rows mode). */
  constructor(private readonly duplicates = true) {}

  /**
   * Accounts one record's key: `flags` from key-identity (KEY_BLANK, KEY_HASHED, KEY_PADDED), the hash in
   * lastKeyHash. Returns true when the caller should name the key's value with addExample (the first few).
   */
  add(flags: number, line: number): boolean {
    if ((flags & KEY_BLANK) !== 0) {
      this.blankKeys += 1;
      if (this.blankLines.length < MAX_EXAMPLES) this.blankLines.push(line);
      return false;
    }
    if (this.duplicates) {
      this.table ??= KeyHashTable.acquire();
      this.firstLine = this.table.add(lastKeyHash[0] as number, lastKeyHash[1] as number, line);
    }
    this.padded = (flags & KEY_PADDED) !== 0;
    if (this.firstLine !== 0) this.duplicateKeys += 1;
    if (this.padded) this.paddedKeys += 1;
    return (
      (this.firstLine !== 0 && this.duplicateExamples.length < MAX_DUPLICATE_EXAMPLES) ||
      (this.padded && this.paddedExamples.length < MAX_EXAMPLES)
    );
  }

  /** Room for about this many keys (estimated from a file's first chunk). */
  reserve(keys: number): void {
    if (!this.duplicates) return;
    this.table ??= KeyHashTable.acquire();
    this.table.reserve(keys);
  }

  /** The value (key values joined by " / ") of the record add() was last called for. */
  addExample(value: string, line: number): void {
    if (this.firstLine !== 0 && this.duplicateExamples.length < MAX_DUPLICATE_EXAMPLES) {
      this.duplicateExamples.push(value);
      this.duplicateLines.push([line, this.firstLine]);
    }
    if (this.padded && this.paddedExamples.length < MAX_EXAMPLES) this.paddedExamples.push({ line, value });
  }

  /** Frees the key table for the next file; call once the file is done. */
  release(): void {
    if (!this.table) return;
    this.overflowed = this.table.overflowed;
    this.table.release();
    this.table = undefined;
  }

  /**
   * `strict`: blank and padded keys are errors (delete, removeMissing, prune, send: changes), else warnings;
   * `unique`: repeated keys are errors too (a row diff needs a unique key).
   */
  toDiagnostics(
    target: CheckTarget,
    keyFields: readonly string[],
    { strict, unique = false }: { strict: boolean; unique?: boolean | undefined },
  ): Diagnostic[] {
    const severity: Severity = strict ? 'error' : 'warning';
    const keys = keyFields.join(', ');
    const out: Diagnostic[] = [];
    const firstBlank = this.blankLines[0];
    if (firstBlank !== undefined) {
      const lines = `line${this.blankLines.length > 1 ? 's' : ''} ${this.blankLines.join(', ')}`;
      const message = `${this.blankKeys} record(s) have a blank key (${keys}), first at ${lines}`;
      out.push(problem(severity, 'E_SOURCE_BLANK_KEY', message, target, firstBlank, 1));
    }
    out.push(
      ...this.describePadded(target, keys, severity),
      ...this.describeDuplicates(target, keys, unique ? 'error' : 'warning'),
    );
    if (this.overflowed) {
      const message =
        'too many distinct keys to track duplicates in bounded memory; duplicate counting stopped early';
      out.push(problem('warning', 'E_SOURCE_DUPLICATE_KEY', message, target, 1, 1));
    }
    return out;
  }

  private describePadded(target: CheckTarget, keys: string, severity: Severity): Diagnostic[] {
    const padded = new ProblemCollector(
      severity,
      'E_SOURCE_KEY_SPACE',
      (n) => `${n} records have spaces or tabs around a key value (${keys})`,
    );
    for (const { line, value } of this.paddedExamples) {
      const message = () =>
        `the key ${JSON.stringify(value)} (${keys}) on line ${line} has spaces or tabs around it`;
      padded.add(line, 1, message, PADDED_HINT);
    }
    return padded.toDiagnostics(target, this.paddedKeys);
  }

  private describeDuplicates(target: CheckTarget, keys: string, severity: Severity): Diagnostic[] {
    const duplicates = new ProblemCollector(
      severity,
      'E_SOURCE_DUPLICATE_KEY',
      (n) => `${n} records repeat an earlier key (${keys})`,
    );
    this.duplicateLines.slice(0, MAX_EXAMPLES).forEach(([line, first], i) => {
      const value = this.duplicateExamples[i] ?? '';
      const message = () =>
        `the key ${JSON.stringify(value)} (${keys}) on line ${line} repeats the key of line ${first}`;
      duplicates.add(line, 1, message, DUPLICATE_HINT);
    });
    return duplicates.toDiagnostics(target, this.duplicateKeys);
  }
}

const PADDED_HINT =
  'remove the spaces: keys are compared without them here, but Copernica may store and match them as sent';
const DUPLICATE_HINT =
  'keys are compared ignoring letter case and spaces around them, as Copernica matches them';
