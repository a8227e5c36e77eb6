// The WebAssembly escaper against V8's JSON.stringify, byte for byte, on every byte value and its SIMD edges.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeUtf8Bytes } from '../../src/copernica/json-escape-stream.js';
import {
  createBytesEscaper,
  WASM_BLOCK,
  WASM_RING,
  wasmEscapeAvailable,
} from '../../src/copernica/json-escape-wasm.js';
import { createRng } from '../helpers/prng.js';

/** The reference: each byte as a latin1 char through JSON.stringify, quotes cut off. */
function reference(bytes: Uint8Array): Buffer {
  return Buffer.from(JSON.stringify(Buffer.from(bytes).toString('latin1')), 'latin1').subarray(1, -1);
}

/** Random bytes, `specialShare` of them escape-worthy; seeded, so a failure reproduces. */
function randomBytes(length: number, seed: number, specialShare: number): Buffer {
  const rng = createRng(seed);
  const specials = [0x00, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1f, 0x22, 0x5c, 0x7f];
  return Buffer.from(
    Array.from({ length }, () => (rng.chance(specialShare) ? rng.pick(specials) : rng.int(256))),
  );
}

const escaper = createBytesEscaper();

/** Escapes any length block by block, copying each result out of the escaper's memory. */
function escapeWasm(bytes: Uint8Array): Buffer {
  assert.ok(escaper, 'WebAssembly SIMD is available on Node 20+');
  const parts: Buffer[] = [];
  for (let start = 0; start === 0 || start < bytes.length; start += WASM_BLOCK) {
    parts.push(Buffer.from(escaper.escapeBlock(bytes.subarray(start, start + WASM_BLOCK))));
  }
  return Buffer.concat(parts);
}

describe('createBytesEscaper', () => {
  it('is available on this Node', () => {
    assert.equal(wasmEscapeAvailable(), true);
  });

  it('escapes every byte value exactly as JSON.stringify does', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    assert.deepEqual(escapeWasm(all), reference(all));
    for (let byte = 0; byte < 256; byte += 1) {
      assert.deepEqual(escapeWasm(Uint8Array.of(byte)), reference(Uint8Array.of(byte)), `byte ${byte}`);
    }
  });

  it('is exact at every length and position around the 16-byte SIMD steps', () => {
    assert.deepEqual(escapeWasm(new Uint8Array(0)), Buffer.alloc(0));
    for (let length = 1; length <= 70; length += 1) {
      for (let at = 0; at < length; at += 1) {
        const bytes = Buffer.alloc(length, 0x61);
        bytes[at] = 0x22;
        assert.deepEqual(escapeWasm(bytes), reference(bytes), `length ${length}, quote at ${at}`);
      }
    }
  });

  it('is exact on random text, sparse and dense in escapes', () => {
    for (let seed = 1; seed <= 300; seed += 1) {
      const bytes = randomBytes(seed * 7, seed, seed % 2 === 0 ? 0.02 : 0.4);
      assert.deepEqual(escapeWasm(bytes), reference(bytes), `seed ${seed}`);
    }
  });

  it('spreads every escape pattern of either 8-byte half exactly (each shuffle table entry)', () => {
    const twoByte = [0x22, 0x5c, 0x0a, 0x09, 0x0d, 0x08, 0x0c];
    for (let mask = 0; mask < 256; mask += 1) {
      for (const half of [0, 8]) {
        const bytes = Buffer.from('abcdefghijklmnopqrstuvwxyzABCDEF', 'latin1'); // two 16-byte blocks
        for (let i = 0; i < 8; i += 1) if (mask & (1 << i)) bytes[half + i] = twoByte[(mask + i) % 7] ?? 0x22;
        bytes[16 + ((mask + half) % 16)] = mask % 3 === 0 ? 0x01 : 0x7f; // the next block: \u00XX or plain
        assert.deepEqual(escapeWasm(bytes), reference(bytes), `mask ${mask} in half ${half / 8}`);
      }
    }
  });

  it('escapes valid UTF-8 the same as escaping its decoded text', () => {
    const text = 'Zoë "x" \\ \t€𝄞😀 \u2028\u2029 line\r\n'.repeat(50);
    const json = JSON.stringify(text);
    assert.deepEqual(escapeWasm(Buffer.from(text, 'utf8')), Buffer.from(json.slice(1, -1), 'utf8'));
  });

  it('handles inputs larger than one block, with escapes on the block seams', () => {
    const bytes = randomBytes(WASM_BLOCK * 2 + 123, 42, 0.1);
    for (const seam of [WASM_BLOCK - 1, WASM_BLOCK, WASM_BLOCK * 2]) bytes[seam] = 0x01;
    assert.deepEqual(escapeWasm(bytes), reference(bytes));
  });

  it('fits the worst case: a full block of control bytes grows six-fold', () => {
    const bytes = Buffer.alloc(WASM_BLOCK, 0x01);
    const out = escapeWasm(bytes);
    assert.equal(out.length, WASM_BLOCK * 6);
    assert.deepEqual(out, reference(bytes));
    assert.throws(() => escaper?.escapeBlock(Buffer.alloc(WASM_BLOCK + 1)), RangeError);
  });

  it('agrees with the JS fallback used where WebAssembly is unavailable', () => {
    for (let seed = 1; seed <= 50; seed += 1) {
      const bytes = randomBytes(seed * 31, seed, 0.2);
      assert.deepEqual(escapeWasm(bytes), escapeUtf8Bytes(bytes), `seed ${seed}`);
    }
  });

  it('keeps the last WASM_RING results intact, and escapers never share memory', () => {
    const own = createBytesEscaper();
    const other = createBytesEscaper();
    assert.ok(own && other);
    const inputs = Array.from({ length: WASM_RING }, (_, i) => Buffer.from(`"${i}"\n`.repeat(100 + i)));
    const views = inputs.map((input) => own.escapeBlock(input));
    other.escapeBlock(Buffer.alloc(1000, 0x22));
    for (const [i, view] of views.entries()) {
      assert.deepEqual(Buffer.from(view), reference(inputs[i] ?? Buffer.alloc(0)), `result ${i}`);
    }
  });
});
