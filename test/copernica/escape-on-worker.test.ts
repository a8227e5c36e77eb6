import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeChunksOnWorker } from '../../src/copernica/escape-on-worker.js';
import { escapeChunks } from '../../src/copernica/json-escape-stream.js';
import { createRng } from '../helpers/prng.js';
import { joinPieces } from './helpers/escaped.js';

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

async function* piecesOf(pieces: ReadonlyArray<string | Uint8Array>): AsyncIterable<string | Uint8Array> {
  yield* pieces;
}

/** What a receiver must get: the inside of JSON.stringify of the joined text, in UTF-8. */
function insideOf(pieces: ReadonlyArray<string | Uint8Array>): Buffer {
  return Buffer.from(JSON.stringify(joinPieces(pieces)).slice(1, -1), 'utf8');
}

const NASTY = 'Email,Naam\n"a@b.nl","Zoë \\ "x" \t\r\n\u0000\u001f\u007f\u2028 €𝄞😀 \ud800 lone \udc00"\n';

describe('escapeChunksOnWorker', () => {
  it('yields the bytes escapeChunks yields, for every split of a text with every kind of escape', async () => {
    const bytes = Buffer.from(NASTY.replace(/[\ud800-\udfff](?![\udc00-\udfff])/g, '?'), 'utf8');
    for (let cut = 0; cut <= NASTY.length; cut += 7) {
      const pieces = [NASTY.slice(0, cut), bytes.subarray(0, cut), NASTY.slice(cut), bytes.subarray(cut)];
      const onWorker = await collect(escapeChunksOnWorker(piecesOf(pieces)));
      assert.deepEqual(onWorker, await collect(escapeChunks(piecesOf(pieces))), `cut ${cut}`);
      assert.deepEqual(onWorker, insideOf(pieces), `cut ${cut}`);
    }
  });

  it('is exact on seeded random pieces of text and bytes, megabytes long, in many batches', async () => {
    const chars = ['"', '\\', '\n', '\t', '\u0000', 'a', 'x', ' ', 'ë', '€', '😀', '\u2029'];
    for (let seed = 1; seed <= 6; seed += 1) {
      const rng = createRng(seed);
      const unit = Array.from({ length: 4096 }, () => (rng.chance(0.3) ? rng.pick(chars) : 'x')).join('');
      const text = unit.repeat(64 * seed); // up to ~1.5 M chars
      const bytes = Buffer.from(text, 'utf8');
      const pieces: Array<string | Uint8Array> = [];
      for (let start = 0; start < bytes.length; ) {
        const end = start + 1 + rng.int(300_000);
        // odd pieces as text (cut between code units, surrogate pairs too), even ones as bytes (inside characters)
        pieces.push(rng.chance(0.5) ? bytes.subarray(start, end) : text.slice(start, end));
        start = end;
      }
      assert.deepEqual(
        await collect(escapeChunksOnWorker(piecesOf(pieces))),
        insideOf(pieces),
        `seed ${seed}`,
      );
    }
  });

  it('pulls a piece only as its bytes are wanted, and stops the source when the reader stops', async () => {
    let pulled = 0;
    let closed = false;
    async function* many(): AsyncIterable<Uint8Array> {
      try {
        for (let i = 0; i < 100; i += 1) {
          pulled += 1;
          yield Buffer.alloc(64 * 1024, 'a"');
        }
      } finally {
        closed = true;
      }
    }
    for await (const chunk of escapeChunksOnWorker(many())) {
      assert.ok(chunk.byteLength > 0);
      break;
    }
    assert.ok(pulled <= 3, `pulled ${pulled} of 100 pieces for the first chunk`);
    assert.equal(closed, true);
  });

  it('throws the source’s own error, as escapeChunks does', async () => {
    const failure = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    async function* failing(): AsyncIterable<string> {
      yield 'Email\n';
      yield 'a@b.nl\n';
      throw failure;
    }
    await assert.rejects(collect(escapeChunksOnWorker(failing())), (error) => error === failure);
  });

  it('escapes on this thread when the worker cannot load (a bundle that left its file out)', async () => {
    const missing = new URL('./no-such-escape-worker.js', import.meta.url);
    const pieces = [NASTY, Buffer.from(NASTY.replace(/[\ud800-\udfff]/g, '?'), 'utf8'), 'tail "x"'];
    assert.deepEqual(await collect(escapeChunksOnWorker(piecesOf(pieces), missing)), insideOf(pieces));
  });

  it('yields nothing for no pieces and for empty ones', async () => {
    assert.equal((await collect(escapeChunksOnWorker(piecesOf([])))).length, 0);
    assert.equal((await collect(escapeChunksOnWorker(piecesOf(['', new Uint8Array(0)])))).length, 0);
  });
});
