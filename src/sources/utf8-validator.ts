// Streaming UTF-8 validation with the byte offset of the first invalid sequence (buffer.isUtf8 is SIMD-fast).
import { isUtf8 } from 'node:buffer';

export class Utf8Validator {
  /** Absolute byte offset of the first invalid byte, once found. */
  invalidAt: number | undefined;
  private carry: Uint8Array = new Uint8Array(0);
  private consumed = 0;

  push(chunk: Uint8Array): void {
    if (this.invalidAt !== undefined) return;
    const data = this.carry.length > 0 ? concat(this.carry, chunk) : chunk;
    const base = this.consumed - this.carry.length;
    const end = completeLength(data);
    const whole = data.subarray(0, end);
    if (!isUtf8(whole)) {
      this.invalidAt = base + findInvalid(whole);
      return;
    }
    this.carry = Uint8Array.from(data.subarray(end)); // a copy: the caller reuses its buffer
    this.consumed += chunk.length;
  }

  /** Call at end of input: a sequence cut off by the end of the file is invalid too. */
  finish(): void {
    if (this.invalidAt === undefined && this.carry.length > 0)
      this.invalidAt = this.consumed - this.carry.length;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Length of the prefix that ends on a sequence boundary (an incomplete tail waits for the next chunk). */
function completeLength(data: Uint8Array): number {
  let k = data.length - 1;
  let back = 0;
  while (k >= 0 && back < 3 && ((data[k] as number) & 0xc0) === 0x80) {
    k -= 1;
    back += 1;
  }
  if (k < 0) return data.length;
  const lead = data[k] as number;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > data.length - k ? k : data.length;
}

/** Slow path, run once: the index of the first byte that starts an invalid sequence. */
export function findInvalid(data: Uint8Array): number {
  let i = 0;
  while (i < data.length) {
    const len = sequenceLength(data, i);
    if (len === 0) return i;
    i += len;
  }
  return data.length;
}

function sequenceLength(data: Uint8Array, i: number): number {
  const b = data[i] as number;
  if (b < 0x80) return 1;
  const need = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (need === 0 || i + need > data.length) return 0;
  for (let k = 1; k < need; k += 1) if (((data[i + k] as number) & 0xc0) !== 0x80) return 0;
  return isUtf8(data.subarray(i, i + need)) ? need : 0;
}
