// Streams the POST imports body: the source text is JSON-escaped chunk by chunk, so memory stays flat.
import { escapeChunks } from './json-escape-stream.js';

export type ImportSourceBody =
  | {
      kind: 'inline';
      format: 'csv' | 'json';
      delimiter?: string;
      /** Called once per try. Pieces are strings, or UTF-8 bytes (faster: no decoding and re-encoding). */
      text: () => AsyncIterable<string | Uint8Array>;
    }
  | { kind: 'location'; url: string };

export interface ImportRequest {
  /** database ID, name, action, keyFields, ...: everything but the source. */
  parameters: Record<string, unknown>;
  source: ImportSourceBody;
}

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
  yield* escapeChunks(source.text());
  yield encoder.encode('"}');
}

function withoutSourceKeys(parameters: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parameters).filter(([key]) => !SOURCE_KEYS.has(key)));
}
