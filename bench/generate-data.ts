// Generates a deterministic tree of realistic CSV exports for the scan benchmark.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CsvTreeOptions {
  totalBytes: number;
  files: number;
  seed?: number;
}

const FIRST = [
  'Anna',
  'Bram',
  'Chloé',
  'Daan',
  'Emma',
  'Finn',
  'Gijs',
  'Hanna',
  'Iris',
  'José',
  'Kees',
  'Lotte',
];
const LAST = [
  'de Vries',
  'Jansen',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'de Boer',
  'Mulder',
  "O'Neill",
  'Müller',
];
const CITY = [
  'Amsterdam',
  'Rotterdam',
  '"Den Haag, ZH"',
  'Utrecht',
  '"Eindhoven, NB"',
  'Groningen',
  'Zwolle',
];
const HEADER = 'Email,FirstName,LastName,City,Score\n';
const FILES_PER_DIR = 100;

/** Writes `files` CSV files of about totalBytes/files bytes each under dir/part-NN/. */
export async function generateCsvTree(dir: string, options: CsvTreeOptions): Promise<void> {
  const random = createRandom(options.seed ?? 1);
  const perFile = Math.max(HEADER.length + 1, Math.floor(options.totalBytes / options.files));
  let serial = 0;
  for (let f = 0; f < options.files; f += 1) {
    const sub = join(dir, `part-${String(Math.floor(f / FILES_PER_DIR)).padStart(2, '0')}`);
    if (f % FILES_PER_DIR === 0) await mkdir(sub, { recursive: true });
    const lines: string[] = [HEADER];
    let size = HEADER.length;
    while (size < perFile) {
      serial += 1;
      const line = createRow(serial, random);
      lines.push(line);
      size += Buffer.byteLength(line);
    }
    await writeFile(join(sub, `export-${String(f).padStart(5, '0')}.csv`), lines.join(''));
  }
}

function createRow(serial: number, random: () => number): string {
  const first = pick(FIRST, random);
  const last = pick(LAST, random);
  const email = `${first.toLowerCase()}.${serial}@example.com`;
  const score = Math.floor(random() * 1000);
  return `${email},${first},${last},${pick(CITY, random)},${score}\n`;
}

function pick(list: readonly string[], random: () => number): string {
  return list[Math.floor(random() * list.length)] ?? '';
}

/** mulberry32: small, fast, deterministic. */
function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
