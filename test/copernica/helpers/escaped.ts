// What an inline source's pieces are as text, the byte length of that text JSON-escaped (its `bytes`), and an
// inline CSV import of them.
import type { ImportRequest } from '../../../src/copernica/import-body.js';

/** What the receiver should decode: byte pieces count as UTF-8 (runs of bytes decoded together). */
export function joinPieces(pieces: ReadonlyArray<string | Uint8Array>): string {
  let text = '';
  let bytes: Buffer[] = [];
  for (const piece of [...pieces, '']) {
    if (typeof piece !== 'string') {
      bytes.push(Buffer.from(piece));
      continue;
    }
    text += Buffer.concat(bytes).toString('utf8') + piece;
    bytes = [];
  }
  return text;
}

/** The inside of JSON.stringify(text) in UTF-8 bytes: what an ImportRequest's inline `bytes` declares. */
export function escapedBytes(pieces: ReadonlyArray<string | Uint8Array>): number {
  return Buffer.byteLength(JSON.stringify(joinPieces(pieces)), 'utf8') - 2;
}

/** The parameters of the client tests' usual import. */
export const MEMBERS = {
  database: 3,
  name: 'members 0123456789ab',
  action: 'update or add',
  keyFields: ['Email'],
};

/** An inline CSV import of the pieces (a new generator per try), declaring `bytes` (by default, as measured). */
export function inlineCsv(
  parameters: Record<string, unknown>,
  pieces: ReadonlyArray<string | Uint8Array>,
  bytes = escapedBytes(pieces),
): ImportRequest {
  const text = async function* () {
    yield* pieces;
  };
  return { parameters, source: { kind: 'inline', format: 'csv', delimiter: ',', bytes, text } };
}
