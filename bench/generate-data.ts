// Generates a deterministic tree of realistic CSV exports for the scan benchmark.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, type Rng } from '../test/helpers/prng.js';

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
  const rng = createRng(options.seed ?? 1);
  const perFile = Math.max(HEADER.length + 1, Math.floor(options.totalBytes / options.files));
  let serial = 0;
  for (let f = 0; f < options.files; f += 1) {
    const sub = join(dir, `part-${String(Math.floor(f / FILES_PER_DIR)).padStart(2, '0')}`);
    if (f % FILES_PER_DIR === 0) await mkdir(sub, { recursive: true });
    const lines: string[] = [HEADER];
    let size = HEADER.length;
    while (size < perFile) {
      serial += 1;
      const line = createRow(serial, rng);
      lines.push(line);
      size += Buffer.byteLength(line);
    }
    await writeFile(join(sub, `export-${String(f).padStart(5, '0')}.csv`), lines.join(''));
  }
}

/** The same draws as before the shared PRNG: trees generated earlier stay valid. */
function createRow(serial: number, rng: Rng): string {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const email = `${first.toLowerCase()}.${serial}@example.com`;
  const score = rng.int(1000);
  return `${email},${first},${last},${rng.pick(CITY)},${score}\n`;
}
