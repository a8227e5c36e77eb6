// Streams the POST imports body with a length known in advance: the source is JSON-escaped chunk by chunk.
import { CopernicaSyncError } from '../core/errors.js';
import { escapeChunksOnWorker } from './escape-on-worker.js';
import { escapeChunks } from './json-escape-stream.js';

export type ImportSourceBody =
  | {
      kind: 'inline';
      format: 'csv' | 'json';
      delimiter?: string;
      /**
       * The byte length of the escaped text: the inside of the JSON string `source`, as escapeChunks writes
       * it. The request's Content-Length is built from it; a text that escapes to another length fails the try.
       */
      bytes: number;
      /** Called once per try. Pieces are strings, or UTF-8 bytes (faster: no decoding and re-encoding). */
      text: () => AsyncIterable<string | Uint8Array>;
    }
  /** Copernica fetches the file itself; `format` and `delimiter` are sent as for an inline source. */
  | { kind: 'location'; url: string; format?: 'csv' | 'json'; delimiter?: string };

export interface ImportRequest {
  /** database ID, name, action, keyFields, ...: everything but the source. */
  parameters: Record<string, unknown>;
  source: ImportSourceBody;
}

const SOURCE_KEYS = new Set(['source', 'location', 'format', 'delimiter']);
const encoder = new TextEncoder();
/** What follows the escaped source: the closing quote of `source` and of the object. */
const TAIL = encoder.encode('"}');
/** From this many escaped bytes, a worker thread escapes (starting one, ~30 ms, costs more below). */
export const ESCAPE_WORKER_BYTES = 16 * 1024 * 1024;

/** The body's exact byte length, for the Content-Length header; throws when an inline source has none. */
export function importBodyLength(request: ImportRequest): number {
  const { source } = request;
  if (source.kind === 'location') return renderHead(request).byteLength;
  if (!Number.isSafeInteger(source.bytes) || source.bytes < 0) {
    const message = `import "${importLabel(request)}": the source's byte length is unknown (${String(source.bytes)})`;
    throw new CopernicaSyncError('E_INTERNAL', message);
  }
  return renderHead(request).byteLength + source.bytes + TAIL.byteLength;
}

/**
 * Yields bytes equal to JSON.stringify({...parameters, format, delimiter, source: <whole text>}), exactly
 * importBodyLength(request) of them. For format json the text is a JSON array text and is still sent as a
 * JSON *string* in `source`: Copernica accepts a string source and reads it with `format` (its own client's
 * example does the same), and it keeps the body streamable.
 * When the escaped text is longer or shorter than `bytes` (the file changed since it was measured), it throws
 * E_SOURCE_CHANGED before the body is complete: before the chunk that would overrun, or before the closing
 * `"}`, so no server ever receives a whole body of the wrong size.
 */
export async function* createImportBody(request: ImportRequest): AsyncIterable<Uint8Array> {
  const { source } = request;
  yield renderHead(request);
  if (source.kind === 'location') return;
  let sent = 0;
  const escapeSource = source.bytes >= ESCAPE_WORKER_BYTES ? escapeChunksOnWorker : escapeChunks;
  for await (const chunk of escapeSource(source.text())) {
    sent += chunk.byteLength;
    if (sent > source.bytes) throw sourceChanged(request, source.bytes, 'more');
    yield chunk;
  }
  if (sent !== source.bytes) throw sourceChanged(request, source.bytes, 'less');
  yield TAIL;
}

/** A location body is whole; an inline one ends where the escaped source begins: `..."source":"`. */
function renderHead(request: ImportRequest): Uint8Array {
  const parameters = withoutSourceKeys(request.parameters);
  const { source } = request;
  const formatKeys = {
    ...(source.format === undefined ? {} : { format: source.format }),
    ...(source.delimiter === undefined ? {} : { delimiter: source.delimiter }),
  };
  if (source.kind === 'location') {
    return encoder.encode(JSON.stringify({ ...parameters, ...formatKeys, location: source.url }));
  }
  const head = JSON.stringify({ ...parameters, ...formatKeys });
  return encoder.encode(`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"source":"`);
}

function sourceChanged(
  request: ImportRequest,
  declared: number,
  direction: 'more' | 'less',
): CopernicaSyncError {
  const message = `import "${importLabel(request)}": the data changed since it was planned (it now sends ${direction} than the ${declared} bytes measured); nothing was imported`;
  const hint = 'run it again: the next run plans with the data as it is now';
  return new CopernicaSyncError('E_SOURCE_CHANGED', message, { hint });
}

function importLabel(request: ImportRequest): string {
  const name = request.parameters.name;
  return typeof name === 'string' && name !== '' ? name : 'import';
}

function withoutSourceKeys(parameters: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parameters).filter(([key]) => !SOURCE_KEYS.has(key)));
}
