// windows-1252 bytes to UTF-8 bytes in WebAssembly (windows-1252.wat), without making JS strings.
import { instantiateWasm, spreadTable } from '../core/wasm-instance.js';
import { decodeWindows1252 } from './decode.js';
import { WINDOWS_1252_WASM_BASE64 } from './windows-1252-wasm-module.js';

/** Input bytes per call. */
export const TRANSCODE_BLOCK = 1024 * 1024;
/** Where the input block goes: after the tables windows-1252.wat describes. */
const IN = 9216;
const OUT = IN + TRANSCODE_BLOCK;
/** A windows-1252 byte is at most 3 UTF-8 bytes (e.g. € is E2 82 AC), plus the stores' 16-byte overrun. */
const MEMORY_BYTES = OUT + TRANSCODE_BLOCK * 3 + 16;

interface TranscodeExports {
  memory: { buffer: ArrayBuffer; grow: (pages: number) => number };
  transcode: (input: number, length: number, output: number) => number;
}

/** Returns the UTF-8 of at most TRANSCODE_BLOCK bytes: a view that the next call overwrites. */
export type Windows1252Transcoder = (bytes: Uint8Array) => Buffer;

/** A transcoder with its own memory, or undefined where WebAssembly is unavailable (then decode.ts decodes). */
export function createWindows1252Transcoder(): Windows1252Transcoder | undefined {
  const instance = instantiateWasm<TranscodeExports>(WINDOWS_1252_WASM_BASE64, MEMORY_BYTES);
  if (instance === undefined) return undefined;
  const { exports, memory } = instance;
  fillTable(memory);
  return (bytes) => {
    if (bytes.length > TRANSCODE_BLOCK)
      throw new RangeError(`transcode takes at most ${TRANSCODE_BLOCK} bytes`);
    memory.set(bytes, IN);
    return memory.subarray(OUT, OUT + exports.transcode(IN, bytes.length, OUT));
  };
}

/** Each byte's UTF-8 taken from the JS decoder, so both routes give the same text by construction. */
function fillTable(memory: Buffer): void {
  for (let byte = 0; byte < 256; byte += 1) {
    const utf8 = Buffer.from(decodeWindows1252(Uint8Array.of(byte)), 'utf8');
    memory[byte * 4] = utf8.length;
    memory.set(utf8, byte * 4 + 1);
  }
  memory.set(spreadTable('bytes'), 1024);
  memory.set(spreadTable('extras'), 5120);
}
