// What an inline source's pieces are as text, and the byte length of that text JSON-escaped (its `bytes`).

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
