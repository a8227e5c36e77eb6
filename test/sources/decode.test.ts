// Decoding source encodings: windows-1252 follows WHATWG's table, whatever Node's TextDecoder does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStreamDecoder, createTextDecoder, decodeWindows1252 } from '../../src/sources/decode.js';

describe('decodeWindows1252', () => {
  it('maps 0x80..0x9F by the WHATWG table (€, quotes, dashes; the five unassigned bytes to C1 controls)', () => {
    const cases: Array<[number, string]> = [
      [0x80, '€'],
      [0x81, '\u0081'],
      [0x85, '…'],
      [0x8a, 'Š'],
      [0x91, '‘'],
      [0x92, '’'],
      [0x93, '“'],
      [0x94, '”'],
      [0x96, '–'],
      [0x97, '—'],
      [0x99, '™'],
      [0x9d, '\u009d'],
      [0x9f, 'Ÿ'],
    ];
    for (const [byte, char] of cases)
      assert.equal(decodeWindows1252(Uint8Array.of(byte)), char, `byte ${byte}`);
  });

  it('keeps every other byte as its own code point', () => {
    for (let byte = 0; byte < 256; byte += 1) {
      if (byte >= 0x80 && byte <= 0x9f) continue;
      assert.equal(decodeWindows1252(Uint8Array.of(byte)).charCodeAt(0), byte, `byte ${byte}`);
    }
  });

  it('is what the stream and text decoders give for both labels, on views into larger buffers', () => {
    const bytes = Buffer.from([0x78, 0x80, 0x20, 0x93, 0xe9, 0x94, 0x79]);
    const view = bytes.subarray(1, 6);
    for (const label of ['windows-1252', 'latin1'] as const) {
      assert.equal(createTextDecoder(label)(view), '€ “é”');
      const stream = createStreamDecoder(label);
      assert.equal(stream(view) + stream(undefined), '€ “é”');
    }
  });
});
