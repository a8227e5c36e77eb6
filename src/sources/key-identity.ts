// The identity of a record's key, as Copernica matches keys: spaces and tabs around each value do not count, nor
// does letter case. One definition (normalizeKeyText) and one 64-bit hash of it (hashKeyText); the CSV byte path
// (hashKeyBytes) gives the identical hash without decoding, and a property test holds it to that. Duplicate
// detection uses it, and so will the row-level diff against a snapshot.
import { decodeWindows1252 } from './decode.js';

/** ASCII lower-casing by table. */
const LOWER = Uint8Array.from({ length: 128 }, (_, b) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b));

/** Bytes 0x80..0xFF of windows-1252, decoded and lower-cased: one code unit each. */
const WINDOWS_1252_LOWER = Uint16Array.from({ length: 128 }, (_, i) =>
  decodeWindows1252(Uint8Array.of(0x80 + i))
    .toLowerCase()
    .charCodeAt(0),
);

/** U+0000..U+07FF lower-cased, where that is one code unit decided by the letter alone; 0 elsewhere. */
const UTF8_2_LOWER = Uint16Array.from({ length: 0x800 }, (_, cp) => {
  const lower = String.fromCharCode(cp).toLowerCase();
  return cp < 0x80 || cp === 0x3a3 || lower.length !== 1 ? 0 : lower.charCodeAt(0);
});

/** The two 32-bit halves of the last computed key hash (no tuple allocated per row). */
export const lastKeyHash = new Uint32Array(2);

/** What a key hash found: hashed, or blank (nothing hashed); hashKeyBytes may also ask for the text path. */
export const KEY_HASHED = 0;
export const KEY_BLANK = 1;
/** From hashKeyBytes only: it hashed nothing; decode the values and use hashKeyValues. */
export const KEY_TEXT = 2;
/** Added to KEY_HASHED or KEY_BLANK: a value had spaces or tabs around it. */
export const KEY_PADDED = 4;

const SEED1 = 0x811c9dc5;
const SEED2 = 0x9747b28c;
const SPACE = 0x20;
const TAB = 0x09;

/** Each value with ASCII spaces and tabs trimmed at both ends and lower-cased, joined with U+0000. */
export function normalizeKeyText(values: readonly string[]): string {
  return values.map((v) => trimSpaceTab(v).toLowerCase()).join('\u0000');
}

/**
 * The key hash of a normalized key text, into lastKeyHash: its UTF-16 code units taken two at a time as one
 * 32-bit word (an odd last unit alone), each half an xor-multiply-xorshift chain with its own prime (the shift
 * carries a word's high bits down, which a multiply alone never does), then the length and a final avalanche.
 */
export function hashKeyText(text: string): void {
  let h1 = SEED1;
  let h2 = SEED2;
  const n = text.length;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const w = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    h1 = mix1(h1, w);
    h2 = mix2(h2, w);
  }
  if (i < n) {
    h1 = mix1(h1, text.charCodeAt(i));
    h2 = mix2(h2, text.charCodeAt(i));
  }
  finish(h1, h2, n);
}

/** The key hash of decoded values, into lastKeyHash: KEY_BLANK (nothing hashed) or KEY_HASHED, plus KEY_PADDED. */
export function hashKeyValues(values: readonly string[]): number {
  const padded = values.some((v) => trimSpaceTab(v).length !== v.length) ? KEY_PADDED : 0;
  if (isBlankKey(values)) return KEY_BLANK | padded;
  hashKeyText(normalizeKeyText(values));
  return KEY_HASHED | padded;
}

/** Every value is empty but for spaces and tabs: no key at all (nothing is hashed for it). */
export function isBlankKey(values: readonly string[]): boolean {
  return values.every((v) => trimSpaceTab(v) === '');
}

/**
 * hashKeyValues for the values at `ranges` (start, end pairs) of UTF-8 or windows-1252 bytes, without decoding
 * them: the same flags and hash. ASCII goes two bytes a step; windows-1252 bytes and 2-byte UTF-8 sequences
 * (U+0080..U+07FF: Latin, Greek, Cyrillic...) are folded one code unit at a time by table. Returns KEY_TEXT,
 * hashing nothing, for longer UTF-8 sequences, invalid UTF-8 and the two letters whose lower case is not one
 * code unit of their own (U+0130 becomes two; U+03A3 depends on its neighbours): decode those and use
 * hashKeyValues.
 */
export function hashKeyBytes(
  bytes: Uint8Array,
  ranges: Int32Array,
  count: number,
  windows1252: boolean,
): number {
  let h1 = SEED1;
  let h2 = SEED2;
  let units = 0;
  let pending = -1;
  let padded = false;
  for (let r = 0; r < count; r += 1) {
    let start = ranges[r * 2] as number;
    let end = ranges[r * 2 + 1] as number;
    while (start < end && isSpaceTab(bytes[start] as number)) start += 1;
    while (end > start && isSpaceTab(bytes[end - 1] as number)) end -= 1;
    if (start !== ranges[r * 2] || end !== ranges[r * 2 + 1]) padded = true;
    let unit = r > 0 ? 0 : -1; // the U+0000 between values
    let i = start;
    for (;;) {
      if (unit >= 0) {
        units += 1;
        if (pending < 0) pending = unit;
        else {
          const w = pending | (unit << 16);
          h1 = mix1(h1, w);
          h2 = mix2(h2, w);
          pending = -1;
        }
      }
      if (pending < 0) {
        const from = i;
        for (; i + 2 <= end; i += 2) {
          const b0 = bytes[i] as number;
          const b1 = bytes[i + 1] as number;
          if ((b0 | b1) >= 0x80) break;
          const w = (LOWER[b0] as number) | ((LOWER[b1] as number) << 16);
          h1 = mix1(h1, w);
          h2 = mix2(h2, w);
        }
        units += i - from;
      }
      if (i >= end) break;
      // one code unit: an odd ASCII byte, or a letter from bytes >= 0x80
      const b = bytes[i] as number;
      i += 1;
      if (b < 0x80) unit = LOWER[b] as number;
      else if (windows1252) unit = WINDOWS_1252_LOWER[b - 0x80] as number;
      else {
        const next = i < end ? (bytes[i] as number) : 0;
        if (b < 0xc2 || b > 0xdf || (next & 0xc0) !== 0x80) return KEY_TEXT;
        unit = UTF8_2_LOWER[((b & 0x1f) << 6) | (next & 0x3f)] as number;
        if (unit === 0) return KEY_TEXT;
        i += 1;
      }
    }
  }
  const flags = padded ? KEY_PADDED : 0;
  if (units === count - 1) return KEY_BLANK | flags; // only the separators: every value was blank
  if (pending >= 0) {
    h1 = mix1(h1, pending);
    h2 = mix2(h2, pending);
  }
  finish(h1, h2, units);
  return KEY_HASHED | flags;
}

export function mix1(h: number, w: number): number {
  const m = Math.imul(h ^ w, 0x01000193);
  return m ^ (m >>> 15);
}

export function mix2(h: number, w: number): number {
  const m = Math.imul(h ^ w, 0x5bd1e995);
  return m ^ (m >>> 13);
}

function finish(h1: number, h2: number, units: number): void {
  lastKeyHash[0] = avalanche(h1 ^ units);
  lastKeyHash[1] = avalanche(h2 ^ Math.imul(units, 0x9e3779b1));
}

/** murmur3's fmix32. */
export function avalanche(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function trimSpaceTab(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isSpaceTab(value.charCodeAt(start))) start += 1;
  while (end > start && isSpaceTab(value.charCodeAt(end - 1))) end -= 1;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

function isSpaceTab(c: number): boolean {
  return c === SPACE || c === TAB;
}
