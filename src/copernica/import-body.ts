// Streams the POST imports body: the source text is JSON-escaped chunk by chunk, so memory stays flat.

export type ImportSourceBody =
  | { kind: 'inline'; format: 'csv' | 'json'; delimiter?: string; text: () => AsyncIterable<string> }
  | { kind: 'location'; url: string };

export interface ImportRequest {
  /** database ID, name, action, keyFields, ...: everything but the source. */
  parameters: Record<string, unknown>;
  source: ImportSourceBody;
}

/** Output chunks are gathered to about this size: fewer, larger socket writes. */
const TARGET_CHUNK_CHARS = 256 * 1024;
const SOURCE_KEYS = new Set(['source', 'location', 'format', 'delimiter']);
const encoder = new TextEncoder();

/**
 * Yields bytes equal to JSON.stringify({...parameters, format, delimiter, source: <whole text>}).
 * For format json the text is a JSON array text and is still sent as a JSON *string* in `source`:
 * Copernica accepts a string source and reads it with `format`, and it keeps the body streamable.
 */
export async function* createImportBody(request: ImportRequest): AsyncIterable<Uint8Array> {
  const parameters = withoutSourceKeys(request.parameters);
  const { source } = request;
  if (source.kind === 'location') {
    yield encoder.encode(JSON.stringify({ ...parameters, location: source.url }));
    return;
  }
  const head = JSON.stringify({
    ...parameters,
    format: source.format,
    ...(source.delimiter === undefined ? {} : { delimiter: source.delimiter }),
  });
  yield encoder.encode(`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"source":"`);
  for await (const escaped of escapeChunks(source.text())) yield encoder.encode(escaped);
  yield encoder.encode('"}');
}

/**
 * JSON-escapes a text arriving in pieces, gathering small pieces. A trailing high surrogate is held back
 * until the next piece, so a pair split across pieces is escaped exactly as JSON.stringify of the whole.
 */
export async function* escapeChunks(pieces: AsyncIterable<string>): AsyncIterable<string> {
  let carry = '';
  let pending: string[] = [];
  let pendingChars = 0;
  for await (const piece of pieces) {
    let text = carry + piece;
    carry = '';
    if (text.length > 0 && isHighSurrogate(text.charCodeAt(text.length - 1))) {
      carry = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (text.length === 0) continue;
    pending.push(escapeJsonStringBody(text));
    pendingChars += text.length;
    if (pendingChars >= TARGET_CHUNK_CHARS) {
      yield pending.join('');
      pending = [];
      pendingChars = 0;
    }
  }
  if (carry) pending.push(escapeJsonStringBody(carry));
  if (pending.length > 0) yield pending.join('');
}

/** The inside of a JSON string literal; V8's JSON.stringify is the fastest and exact escaper there is. */
export function escapeJsonStringBody(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function withoutSourceKeys(parameters: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parameters).filter(([key]) => !SOURCE_KEYS.has(key)));
}
