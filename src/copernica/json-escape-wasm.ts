// JSON-escapes valid UTF-8 bytes in WebAssembly (json-escape.wat): SIMD copies 16 plain bytes at a time and
// spreads blocks with escapes by table-driven shuffles; ~8x V8's JSON.stringify route on escape-dense CSV.
import { compileWasm, instantiateWasm, spreadTable } from '../core/wasm-instance.js';
import { JSON_ESCAPE_WASM_BASE64 } from './json-escape-wasm-module.js';

/** Input bytes per call; each output area holds the worst case (6 bytes per byte) plus a 16-byte SIMD overrun. */
export const WASM_BLOCK = 1024 * 1024;
/** Output areas per escaper, used in turn: a result stays intact until this many more calls. */
export const WASM_RING = 4;
/** Where the input block goes: after the tables json-escape.wat describes. */
const IN = 8192;
const OUT_SIZE = WASM_BLOCK * 6 + 16;
const MEMORY_BYTES = IN + WASM_BLOCK + OUT_SIZE * WASM_RING;

export interface BytesEscaper {
  /**
   * Escapes at most WASM_BLOCK bytes. The result is a view into the escaper's memory (no copy, no garbage):
   * it is overwritten by the WASM_RING-th call after this one, so use it (send or copy it) before then.
   */
  escapeBlock(bytes: Uint8Array): Buffer;
  /**
   * The same for a well-formed string of at most WASM_STRING chars, encoded to UTF-8 straight into the
   * escaper's memory (no intermediate buffer). Callers check well-formedness: Buffer.write would turn a lone
   * surrogate into U+FFFD where JSON.stringify writes \udXXX.
   */
  escapeString(text: string): Buffer;
}

/** Chars per escapeString call: a char is at most 3 UTF-8 bytes (a surrogate pair is 4 for 2), so it fits a block. */
export const WASM_STRING = Math.floor(WASM_BLOCK / 3);

interface EscapeExports {
  memory: { buffer: ArrayBuffer; grow: (pages: number) => number };
  escape: (input: number, length: number, output: number) => number;
}

export function wasmEscapeAvailable(): boolean {
  return compileWasm(JSON_ESCAPE_WASM_BASE64) !== null;
}

/** A new escaper with its own memory (one per body: concurrent uploads never share output areas). */
export function createBytesEscaper(): BytesEscaper | undefined {
  const instance = instantiateWasm<EscapeExports>(JSON_ESCAPE_WASM_BASE64, MEMORY_BYTES);
  if (instance === undefined) return undefined; // the slower JS route gives the same bytes
  const { exports, memory } = instance;
  fillTables(memory);
  let turn = 0;
  return {
    escapeBlock(bytes) {
      if (bytes.length > WASM_BLOCK) throw new RangeError(`escapeBlock takes at most ${WASM_BLOCK} bytes`);
      const out = IN + WASM_BLOCK + OUT_SIZE * turn;
      turn = (turn + 1) % WASM_RING;
      memory.set(bytes, IN);
      return memory.subarray(out, out + exports.escape(IN, bytes.length, out));
    },
    escapeString(text) {
      if (text.length > WASM_STRING) throw new RangeError(`escapeString takes at most ${WASM_STRING} chars`);
      const out = IN + WASM_BLOCK + OUT_SIZE * turn;
      turn = (turn + 1) % WASM_RING;
      const length = memory.write(text, IN, WASM_BLOCK, 'utf8');
      return memory.subarray(out, out + exports.escape(IN, length, out));
    },
  };
}

const SHORT_ESCAPES: Record<number, string> = {
  8: 'b',
  9: 't',
  10: 'n',
  12: 'f',
  13: 'r',
  34: '"',
  92: '\\',
};

/** The tables json-escape.wat reads, at the offsets it documents. */
function fillTables(memory: Uint8Array): void {
  for (let byte = 0; byte < 32; byte += 1) memory[byte] = 'u'.charCodeAt(0);
  for (const [byte, char] of Object.entries(SHORT_ESCAPES)) memory[Number(byte)] = char.charCodeAt(0);
  memory.set(Buffer.from('0123456789abcdef', 'latin1'), 256);
  for (const [byte, char] of Object.entries(SHORT_ESCAPES))
    if (Number(byte) < 16) memory[272 + Number(byte)] = char.charCodeAt(0);
  memory.set(spreadTable('bytes'), 512);
}
