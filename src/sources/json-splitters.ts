// Streaming splitters: a JSON array's elements and JSONL's lines, one record text at a time (flat memory).

export interface RecordReceiver {
  accept(text: string, line: number): void;
  addSyntaxError(message: string, line: number, column: number): void;
}

export interface TextSplitter {
  push(text: string): void;
  finish(): void;
  /** 1-based line of the next character. */
  readonly line: number;
}

const BEFORE = 0;
const IN_ARRAY = 1;
const AFTER = 2;
const FAILED = 3;

/** Splits `[ {...}, {...} ]` into element texts without parsing the whole array. */
export class JsonArraySplitter implements TextSplitter {
  line = 1;
  private phase = BEFORE;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: string[] = [];
  private open = false;
  private elementLine = 0;
  private afterComma = false;

  constructor(private readonly receiver: RecordReceiver) {}

  push(text: string): void {
    let start = this.open ? 0 : -1;
    for (let i = 0; i < text.length && this.phase !== FAILED; i += 1) {
      const c = text.charCodeAt(i);
      if (c === 10) this.line += 1;
      if (this.phase === IN_ARRAY) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === 92) this.escaped = true;
          else if (c === 34) this.inString = false;
        } else if (this.depth === 0 && (c === 44 || c === 93)) {
          if (this.open) this.emit(this.parts.join('') + text.slice(start, i));
          else if (c === 44 || this.afterComma) this.fail('empty array element (a stray comma)', i, text);
          this.afterComma = c === 44;
          if (c === 93) this.phase = AFTER;
          start = -1;
        } else if (!this.open && isSpace(c)) {
          // whitespace between elements
        } else {
          if (!this.open) {
            this.open = true;
            this.elementLine = this.line;
            start = i;
          }
          if (c === 34) this.inString = true;
          else if (c === 123 || c === 91) this.depth += 1;
          else if (c === 125 || c === 93) this.depth -= 1;
        }
      } else if (!isSpace(c) && !(c === 0xfeff && this.line === 1)) {
        if (this.phase === BEFORE && c === 91) this.phase = IN_ARRAY;
        else if (this.phase === BEFORE) this.fail('expected a JSON array of objects', i, text);
        else this.fail('unexpected text after the end of the array', i, text);
      }
    }
    if (this.open && start >= 0) this.parts.push(text.slice(start));
  }

  finish(): void {
    if (this.phase === BEFORE)
      this.receiver.addSyntaxError('empty file: expected a JSON array of objects', 1, 1);
    if (this.phase === IN_ARRAY) {
      this.receiver.addSyntaxError('the array is never closed: the file looks cut short', this.line, 1);
    }
  }

  private emit(text: string): void {
    this.receiver.accept(text, this.elementLine);
    this.parts = [];
    this.open = false;
  }

  private fail(message: string, index: number, text: string): void {
    const lineStart = text.lastIndexOf('\n', index - 1) + 1;
    this.receiver.addSyntaxError(message, this.line, index - lineStart + 1);
    this.phase = FAILED;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** One JSONL record may not exceed this many characters: memory stays bounded on a file with no newlines. */
export const MAX_JSONL_RECORD_CHARS = 16 * 1024 * 1024;

/** JSONL / NDJSON: one record per non-blank line. */
export class JsonlSplitter implements TextSplitter {
  line = 1;
  private pending = '';
  /** The current line passed the cap: its rest is dropped up to the next newline. */
  private oversized = false;

  constructor(private readonly receiver: RecordReceiver) {}

  push(text: string): void {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      const lineText = this.pending + text.slice(from, nl);
      this.pending = '';
      if (!this.oversized) this.acceptLine(lineText);
      this.oversized = false;
      this.line += 1;
      from = nl + 1;
    }
    if (this.oversized) return;
    this.pending += text.slice(from);
    if (this.pending.length > MAX_JSONL_RECORD_CHARS) {
      const mib = MAX_JSONL_RECORD_CHARS / 1024 / 1024;
      this.receiver.addSyntaxError(
        `the record on this line is longer than ${mib} MiB (no newline?)`,
        this.line,
        1,
      );
      this.pending = '';
      this.oversized = true;
    }
  }

  finish(): void {
    if (this.pending !== '' && !this.oversized) this.acceptLine(this.pending);
    this.pending = '';
  }

  private acceptLine(text: string): void {
    if (text.trim() !== '') this.receiver.accept(text, this.line);
  }
}
