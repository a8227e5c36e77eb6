// The WebAssembly windows-1252 transcoder against the JS decoder, byte for byte.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeWindows1252 } from '../../src/sources/decode.js';
import { createWindows1252Transcoder, TRANSCODE_BLOCK } from '../../src/sources/windows-1252-wasm.js';
import { createRng } from '../helpers/prng.js';

const reference = (bytes: Uint8Array): Buffer => Buffer.from(decodeWindows1252(bytes), 'utf8');

/** Random bytes, `highShare` of them 0x80..0xFF; seeded, so a failure reproduces. */
function randomBytes(length: number, seed: number, highShare: number): Buffer {
  const rng = createRng(seed);
  return Buffer.from(Array.from({ length }, () => (rng.chance(highShare) ? 0x80 : 0) + rng.int(128)));
}

describe('createWindows1252Transcoder', () => {
  const transcode = createWindows1252Transcoder();

  it('gives the JS decoder’s UTF-8 for every byte value, alone and all together', () => {
    assert.ok(transcode, 'WebAssembly SIMD is available on Node 20+');
    for (let byte = 0; byte < 256; byte += 1)
      assert.deepEqual(
        Buffer.from(transcode(Uint8Array.of(byte))),
        reference(Uint8Array.of(byte)),
        `byte ${byte}`,
      );
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    assert.deepEqual(Buffer.from(transcode(all)), reference(all));
  });

  it('is exact at every length around the 16-byte SIMD steps, ASCII runs and high bytes mixed', () => {
    assert.ok(transcode);
    for (let seed = 1; seed <= 400; seed += 1) {
      const bytes = randomBytes(seed % 70, seed, [0, 0.02, 0.3, 1][seed % 4] ?? 0);
      assert.deepEqual(Buffer.from(transcode(bytes)), reference(bytes), `seed ${seed}`);
    }
  });

  it('spreads every pattern of Latin-1 letters (0xA0..0xFF) in either 8-byte half exactly', () => {
    assert.ok(transcode);
    for (let mask = 0; mask < 256; mask += 1) {
      for (const half of [0, 8]) {
        const bytes = Buffer.from('abcdefghijklmnopqrstuvwxyzABCDEF', 'latin1'); // two 16-byte blocks
        for (let i = 0; i < 8; i += 1)
          if (mask & (1 << i)) bytes[half + i] = 0xa0 + ((mask * 7 + i * 13) % 96);
        bytes[16 + ((mask + half) % 16)] = mask % 3 === 0 ? 0x92 : 0xeb; // the next block: byte path or spread
        assert.deepEqual(Buffer.from(transcode(bytes)), reference(bytes), `mask ${mask} in half ${half / 8}`);
      }
    }
  });

  it('takes a whole block of 3-byte characters (€) and refuses more than a block', () => {
    assert.ok(transcode);
    const euros = Buffer.alloc(TRANSCODE_BLOCK, 0x80);
    const out = transcode(euros);
    assert.equal(out.length, TRANSCODE_BLOCK * 3);
    assert.deepEqual(out.subarray(0, 6), Buffer.from('€€', 'utf8'));
    assert.throws(() => transcode(Buffer.alloc(TRANSCODE_BLOCK + 1)), RangeError);
  });
});
