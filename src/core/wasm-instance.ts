// Instantiates the project's hand-written WebAssembly modules, each compiled once per thread.

/** The little of the WebAssembly API used here (this project's lib settings carry no WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}

interface WasmMemory {
  buffer: ArrayBuffer;
  grow: (pages: number) => number;
}

const PAGE = 65536;
const compiled = new Map<string, object | null>();

/** The module compiled from base64, or null where WebAssembly (SIMD) is unavailable: callers fall back to JS. */
export function compileWasm(base64: string): object | null {
  let module = compiled.get(base64);
  if (module !== undefined) return module;
  try {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    module = new wasm.Module(Buffer.from(base64, 'base64'));
  } catch {
    module = null;
  }
  compiled.set(base64, module);
  return module;
}

/**
 * A fresh instance whose memory is grown to at least `memoryBytes`, with that memory as a Buffer (taken after
 * the grow, which detaches the old one); undefined when the engine refuses (e.g. out of address space).
 */
export function instantiateWasm<E extends { memory: WasmMemory }>(
  base64: string,
  memoryBytes: number,
): { exports: E; memory: Buffer } | undefined {
  const module = compileWasm(base64);
  if (module === null) return undefined;
  try {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const exports = new wasm.Instance(module, {}).exports as E;
    const pages = Math.ceil(memoryBytes / PAGE) - exports.memory.buffer.byteLength / PAGE;
    if (pages > 0) exports.memory.grow(pages);
    return { exports, memory: Buffer.from(exports.memory.buffer) };
  } catch {
    return undefined;
  }
}

/**
 * The shuffle tables of the SIMD routines that widen bytes: for each 8-bit mask, 16 byte indices that spread
 * 8 input bytes over 8..16 output places, each marked byte taking two. `bytes`: the byte's index at its own
 * place and 0x80 (a swizzle gives 0) at the extra place before it; `extras`: the reverse. Unused: 0x80.
 */
export function spreadTable(kind: 'bytes' | 'extras'): Uint8Array {
  const table = new Uint8Array(256 * 16).fill(0x80);
  for (let mask = 0; mask < 256; mask += 1) {
    let place = mask * 16;
    for (let i = 0; i < 8; i += 1) {
      if (mask & (1 << i)) table[place++] = kind === 'extras' ? i : 0x80;
      table[place++] = kind === 'bytes' ? i : 0x80;
    }
  }
  return table;
}
