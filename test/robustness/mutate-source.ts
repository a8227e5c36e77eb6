// Byte-level mutations of CSV / JSON / JSONL sources: cuts, quotes, delimiters, newlines, BOMs, bad UTF-8, NULs, long lines, nesting.
import type { Rng } from '../helpers/prng.js';

type Mutation = (bytes: Buffer, rng: Rng) => Buffer;

const PIECES: Buffer[] = [
  '"',
  '""',
  ',',
  ';',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\n\n',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ':',
  '"Email"',
  'null',
  '{"a":{"b":1}}',
  '[1,[2]]',
  '\u00e9',
  '\u{1f600}',
  '\u2028',
].map((s) => Buffer.from(s, 'utf8'));
const BAD_BYTES: Buffer[] = [
  [0xc3],
  [0xff],
  [0xfe, 0xff],
  [0xed, 0xa0, 0x80],
  [0xc0, 0xaf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0x00],
  [0x00, 0x00, 0x00],
  [0xef, 0xbb, 0xbf],
  [0xff, 0xfe],
].map((b) => Buffer.from(b));

const cut = (b: Buffer, at: number): [Buffer, Buffer] => [b.subarray(0, at), b.subarray(at)];
const insert = (b: Buffer, rng: Rng, piece: Buffer): Buffer => {
  const [head, tail] = cut(b, rng.int(b.length + 1));
  return Buffer.concat([head, piece, tail]);
};
const lines = (b: Buffer): Buffer[] => {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, start)) {
    out.push(b.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < b.length) out.push(b.subarray(start));
  return out;
};

const MUTATIONS: Mutation[] = [
  (b, r) => b.subarray(0, r.int(b.length + 1)),
  (b, r) => insert(b, r, r.pick(PIECES)),
  (b, r) => insert(b, r, r.pick(PIECES)),
  (b, r) => insert(b, r, r.pick(BAD_BYTES)),
  (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]),
  (b) => Buffer.concat([Buffer.from([0xff, 0xfe]), b]),
  (b, r) => insert(b, r, Buffer.alloc(1 + r.int(4))),
  (b, r) => insert(b, r, Buffer.alloc(r.chance(0.1) ? 300_000 : 5000, r.pick(['a', '"', ',', ' ']))),
  (b, r) => insert(b, r, Buffer.from(`${'['.repeat(r.int(20_000))}`)),
  (b, r) => insert(b, r, Buffer.from(`${'{"a":'.repeat(r.int(5000))}1`)),
  (b, r) => {
    const l = lines(b);
    const i = r.int(l.length);
    return Buffer.concat(l.filter((_, j) => j !== i));
  },
  (b, r) => {
    const l = lines(b);
    const i = r.int(l.length);
    return Buffer.concat([...l.slice(0, i + 1), l[i] ?? Buffer.alloc(0), ...l.slice(i + 1)]);
  },
  (b, r) => {
    const l = lines(b);
    const [i, j] = [r.int(l.length), r.int(l.length)];
    const out = [...l];
    [out[i], out[j]] = [l[j] ?? Buffer.alloc(0), l[i] ?? Buffer.alloc(0)];
    return Buffer.concat(out);
  },
  (b) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'),
  (b) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r'), 'latin1'),
  (b, r) =>
    Buffer.from(
      b.toString('latin1').replace(/Email/g, r.pick(['email', ' Email', 'E\u00admail', ''])),
      'latin1',
    ),
  (b, r) => {
    const at = r.int(b.length);
    const out = Buffer.from(b);
    if (out.length > 0) out[at] = r.int(256);
    return out;
  },
  () => Buffer.alloc(0),
];

/** 1 to 3 mutations of `bytes`. */
export function mutateSource(bytes: Buffer, rng: Rng): Buffer {
  let out = bytes;
  const count = 1 + rng.int(3);
  for (let n = 0; n < count; n++) out = rng.pick(MUTATIONS)(out, rng);
  return out;
}
