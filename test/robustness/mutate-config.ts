// Mutations of a valid imports.yaml text: structural (lines, indentation) and lexical (chars, types, YAML features).
import type { Rng } from '../helpers/prng.js';

type Mutation = (lines: string[], rng: Rng) => string[];

const ODD_CHARS = [
  ':',
  '-',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '&',
  '*',
  '!',
  '#',
  '|',
  '>',
  '%',
  '@',
  '`',
  ',',
  '?',
];
const ODD_TEXT = ['\t', '\u00e9', '\u202e', '\u{1f600}', '\u0000', '\ufeff', '\r', '\\', '\u2028', '\ud800'];
const VALUES = [
  '[1, 2]',
  '{a: 1}',
  'true',
  'null',
  '~',
  '1e999',
  '-1',
  '99999999999999999999999',
  '0x1F',
  '.inf',
  '""',
  "'x'",
  '|\n  block',
  '2001-12-14',
  '-',
  '*nowhere',
  '!!binary aGVsbG8=',
  '!custom x',
  '!!str 5',
  '&anchor v',
  '<<: {a: 1}',
  'https://example.com/x.csv',
  'http://example.com/x.csv',
  '../outside.csv',
  '/etc/passwd',
  `${'a'.repeat(5000)}`,
];
const KEYS = [
  'bogus',
  'Database',
  'keyfields',
  'source',
  'location',
  'command',
  'action',
  '<<',
  '? complex',
  'version',
];

const at = (lines: string[], rng: Rng): number => rng.int(Math.max(1, lines.length));

const MUTATIONS: Mutation[] = [
  (l, r) => l.filter((_, i) => i !== at(l, r)),
  (l, r) => {
    const i = at(l, r);
    return [...l.slice(0, i + 1), l[i] ?? '', ...l.slice(i + 1)];
  },
  (l, r) => {
    const [i, j] = [at(l, r), at(l, r)];
    const out = [...l];
    [out[i], out[j]] = [l[j] ?? '', l[i] ?? ''];
    return out;
  },
  (l, r) => replaceLine(l, r, (line) => ' '.repeat(r.int(5)) + line.trimStart()),
  (l, r) => replaceLine(l, r, (line) => line.replace(/^( *)/, (s) => s.replace(/ {2}/, '\t'))),
  (l, r) => replaceLine(l, r, (line) => insertAt(line, r, r.pick([...ODD_CHARS, ...ODD_TEXT]))),
  (l, r) => replaceLine(l, r, (line) => line.replace(/:\s.*$/, `: ${r.pick(VALUES)}`)),
  (l, r) => replaceLine(l, r, (line) => `${line.match(/^\s*/)?.[0] ?? ''}${r.pick(KEYS)}: ${r.pick(VALUES)}`),
  (l, r) => replaceLine(l, r, (line) => line.slice(0, r.int(line.length + 1))),
  (l, r) => replaceLine(l, r, (line) => line.replace(/:\s(.+)$/, ': &x $1')),
  (l, r) => replaceLine(l, r, (line) => line.replace(/:\s(.+)$/, ': *x')),
  (l, r) => replaceLine(l, r, (line) => line.replace(/:\s(.+)$/, ': !!int $1')),
  (l) => [`\ufeff${l[0] ?? ''}`, ...l.slice(1)],
  (l) => l.map((line) => `${line}\r`),
  (l, r) => l.slice(0, at(l, r)),
  (l, r) => replaceLine(l, r, (line) => line.replace(/(\d+)/, '$1$1$1$1$1$1$1$1')),
  (l, r) => [...l, `${' '.repeat(r.int(3) * 2)}${'['.repeat(r.int(200))}`],
  (l) => [...l, '---', ...l],
];

function replaceLine(lines: string[], rng: Rng, change: (line: string) => string): string[] {
  const i = at(lines, rng);
  return lines.map((line, j) => (j === i ? change(line) : line));
}

function insertAt(text: string, rng: Rng, piece: string): string {
  const i = rng.int(text.length + 1);
  return text.slice(0, i) + piece + text.slice(i);
}

/** 1 to 3 mutations of `text`. */
export function mutateConfig(text: string, rng: Rng): string {
  let lines = text.split('\n');
  const count = 1 + rng.int(3);
  for (let n = 0; n < count; n++) lines = rng.pick(MUTATIONS)(lines, rng);
  return lines.join('\n');
}
