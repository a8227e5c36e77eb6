// The data exactly as it is sent to Copernica, as UTF-8 chunks, one file chunk at a time (never a whole file).
import { createStreamDecoder, stripBom } from './decode.js';
import { splitFlatObject } from './flat-object.js';
import { isRecord } from './json-records.js';
import { JsonArraySplitter, JsonlSplitter, type TextSplitter } from './json-splitters.js';
import { createReadBuffers, type ReadBuffers, readChunks } from './read-chunks.js';
import type { ResolvedFile, ResolvedSource } from './types.js';

export interface StreamTextOptions {
  /** Only these files (paths as in ResolvedFile.path), for per-file mode. */
  files?: string[];
}

/**
 * Yields strings, or the file bytes for UTF-8 CSV files (no decode and re-encode; the escaper's fast path).
 * Joined (bytes decoded as UTF-8), the pieces are the exact text sent. Other encodings are decoded to text
 * (windows-1252 and latin1 by decode.ts's WHATWG table). A byte piece is a view into a reused read buffer:
 * use or copy it before pulling the next piece.
 */
export async function* streamSourceText(
  source: ResolvedSource,
  options: StreamTextOptions = {},
): AsyncIterable<string | Uint8Array> {
  const wanted = options.files;
  const files = wanted ? source.files.filter((f) => wanted.includes(f.path)) : source.files;
  const format = source.format ?? files[0]?.format;
  if (format === 'json' || format === 'jsonl') yield* streamJson(files);
  else if (files.every((f) => f.encoding === 'utf-8')) yield* streamCsvBytes(files);
  else yield* streamCsv(files);
}

/** UTF-8 CSV as the file bytes, with the same rules as streamCsv: quotes and newlines are ASCII in UTF-8. */
async function* streamCsvBytes(files: ResolvedFile[]): AsyncIterable<Uint8Array> {
  let headerSent = false;
  const buffers = createReadBuffers();
  for (const file of files) {
    const dropHeader = { active: headerSent, inQuotes: false };
    let lastByte = -1;
    let first = true;
    for await (const chunk of readChunks(file.absPath, buffers)) {
      let bytes = chunk;
      if (first && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      first = false;
      if (dropHeader.active) {
        const end = findRecordEnd(bytes, dropHeader);
        if (end < 0) continue;
        bytes = bytes.subarray(end);
        dropHeader.active = false;
      }
      if (bytes.length === 0) continue;
      headerSent = true;
      lastByte = bytes[bytes.length - 1] ?? -1;
      yield bytes;
    }
    if (lastByte !== -1 && lastByte !== 10) yield Buffer.from('\n');
  }
}

/** CSV: the first header, then every file's records; later headers dropped, BOM stripped, each file newline-ended. */
async function* streamCsv(files: ResolvedFile[]): AsyncIterable<string> {
  let headerSent = false;
  const buffers = createReadBuffers();
  for (const file of files) {
    const dropHeader = { active: headerSent, inQuotes: false };
    let last = '';
    for await (const raw of readText(file, buffers)) {
      let text = raw;
      if (dropHeader.active) {
        const end = findRecordEnd(text, dropHeader);
        if (end < 0) continue;
        text = text.slice(end);
        dropHeader.active = false;
        headerSent = true;
      }
      if (text === '') continue;
      headerSent = true;
      last = text;
      yield text;
    }
    if (last !== '' && !last.endsWith('\n')) yield '\n';
  }
}

/** Index just past the newline ending the first record (quotes may hold newlines), or -1 when not in this text. */
function findRecordEnd(text: string | Uint8Array, state: { inQuotes: boolean }): number {
  for (let i = 0; i < text.length; i += 1) {
    const c = typeof text === 'string' ? text.charCodeAt(i) : (text[i] ?? 0);
    if (c === 34) state.inQuotes = !state.inQuotes;
    else if (c === 10 && !state.inQuotes) return i + 1;
  }
  return -1;
}

/** JSON and JSONL: one JSON array; every record written with the first record's key order. */
async function* streamJson(files: ResolvedFile[]): AsyncIterable<string> {
  let keyOrder: string[] | undefined;
  let count = 0;
  let out: string[] = [];
  const receiver = {
    accept(text: string): void {
      const fields = parseFields(text);
      if (!fields) return;
      keyOrder ??= [...fields.keys()];
      out.push((count > 0 ? ',' : '') + renderRecord(fields, keyOrder));
      count += 1;
    },
    addSyntaxError(): void {},
  };
  yield '[';
  const buffers = createReadBuffers();
  for (const file of files) {
    const splitter: TextSplitter =
      file.format === 'json' ? new JsonArraySplitter(receiver) : new JsonlSplitter(receiver);
    for await (const text of readText(file, buffers)) {
      splitter.push(text);
      if (out.length > 0) yield out.join('');
      out = [];
    }
    splitter.finish();
    if (out.length > 0) yield out.join('');
    out = [];
  }
  yield ']';
}

/** A JSON record's text as the upload sends it: its values as written, in the first record's key order. */
export function renderJsonRecord(text: string, keyOrder: string[]): string {
  return renderRecord(parseFields(text) ?? new Map(), keyOrder);
}

function parseFields(text: string): Map<string, string> | undefined {
  const fields = splitFlatObject(text);
  if (fields) return fields;
  try {
    const value: unknown = JSON.parse(text);
    if (!isRecord(value)) return undefined;
    return new Map(Object.entries(value).map(([k, v]) => [k, JSON.stringify(v)]));
  } catch {
    return undefined; // invalid records are errors found by the scan; they never reach an upload
  }
}

function renderRecord(fields: Map<string, string>, keyOrder: string[]): string {
  const parts: string[] = [];
  for (const key of keyOrder) {
    const value = fields.get(key);
    if (value !== undefined) parts.push(`${JSON.stringify(key)}:${value}`);
  }
  for (const [key, value] of fields)
    if (!keyOrder.includes(key)) parts.push(`${JSON.stringify(key)}:${value}`);
  return `{${parts.join(',')}}`;
}

/**
 * Text is decoded this many bytes at a time: the strings stay small enough for V8's young generation; 1 MiB
 * strings went to large-object space and raised a 500 MB upload's peak RSS from ~125 to ~195 MB.
 */
const TEXT_SLICE = 64 * 1024;

/** A file's text in pieces: decoded from its encoding, the BOM stripped. */
async function* readText(file: ResolvedFile, buffers: ReadBuffers): AsyncIterable<string> {
  const decode = createStreamDecoder(file.encoding);
  let first = true;
  for await (const chunk of readChunks(file.absPath, buffers)) {
    for (let start = 0; start < chunk.length; start += TEXT_SLICE) {
      const text = decode(chunk.subarray(start, start + TEXT_SLICE));
      if (text === '') continue;
      yield first ? stripBom(text) : text;
      first = false;
    }
  }
  const rest = decode(undefined);
  if (rest !== '') yield first ? stripBom(rest) : rest;
}
