// Fuzzing sources: seeded byte mutations of CSV / JSON / JSONL files, scanned in-process; a scan or positioned E_ diagnostics.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ImportAction, SourceEncoding, SourceFormat } from '../../src/config/types.js';
import { scanFile } from '../../src/sources/index.js';
import { createRng, runWithinBudgetAsync } from '../helpers/prng.js';
import { mutateSource } from './mutate-source.js';

const SEED = 7_2026;
const SLOW_CASE_MS = 2000;
const CSV =
  'Email,Name,City\nann@example.com,Ann,Delft\nbob@example.com,"Bob ""B"", Jr",Gouda\n"cas@example.com",Cas,"Breda\nNoord"\n';
const JSON_TEXT =
  '[\n  {"Email": "ann@example.com", "Name": "Ann", "Age": 31, "Vip": true},\n  {"Email": "bob@example.com", "Name": "Bob \\"B\\"", "Age": null, "Vip": false}\n]\n';
const JSONL = '{"Email":"ann@example.com","Name":"Ann"}\n{"Email":"bob@example.com","Name":"B\\u00f6b"}\n';
const CORPUS: Array<{ format: SourceFormat; bytes: Buffer }> = [
  { format: 'csv', bytes: Buffer.from(CSV) },
  { format: 'json', bytes: Buffer.from(JSON_TEXT) },
  { format: 'jsonl', bytes: Buffer.from(JSONL) },
];
const ACTIONS: ImportAction[] = ['add', 'update or add', 'delete'];
const ENCODINGS: SourceEncoding[] = ['utf-8', 'utf-8', 'utf-8', 'windows-1252', 'utf-16le'];

const dir = mkdtempSync(join(tmpdir(), 'copernica-sync-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('fuzzing sources in-process (scanFile)', () => {
  it('thousands of mutated files: a scan or positioned diagnostics, never a throw or a hang', async (t) => {
    const rng = createRng(SEED);
    const file = join(dir, 'source');
    const codes = new Set<string>();
    const ran = await runWithinBudgetAsync(2000, 8000, async (index) => {
      const seed = rng.pick(CORPUS);
      const bytes = mutateSource(seed.bytes, rng);
      const action = rng.pick(ACTIONS);
      const encoding = rng.pick(ENCODINGS);
      writeFileSync(file, bytes);
      const started = Date.now();
      const what = `case ${index} (${seed.format}, ${encoding}, ${action}): ${JSON.stringify(bytes.subarray(0, 300).toString('latin1'))}`;
      const scan = await scanFile(file, {
        displayPath: 'data/source',
        format: seed.format,
        delimiter: ',',
        delimiterDeclared: false,
        encoding,
        keyFields: action === 'add' ? [] : ['Email'],
        strictKeys: action === 'delete' || rng.chance(0.3),
        importName: 'fuzz',
      }).catch((error: unknown) => assert.fail(`${what} threw ${String(error)}`));
      assert.ok(Date.now() - started < SLOW_CASE_MS, `${what} was slow`);
      assert.match(scan.hash, /^[0-9a-f]{64}$/);
      assert.ok(Number.isInteger(scan.rows) && scan.rows >= 0, what);
      for (const d of scan.diagnostics) {
        codes.add(d.code);
        assert.match(d.code, /^[EW]_[A-Z0-9_]+$/, what);
        if (d.severity === 'error') assert.match(d.code, /^E_/, what);
        assert.ok(
          d.position && d.position.line >= 1 && d.position.column >= 1,
          `${what}: ${JSON.stringify(d)}`,
        );
        assert.equal(d.position.file, 'data/source', what);
        assert.ok(d.message.trim().length > 0, `${what}: ${d.code} without a message`);
      }
    });
    t.diagnostic(`${ran} cases, codes seen: ${[...codes].sort().join(' ')}`);
    assert.ok(ran >= 500, `only ${ran} cases ran within the budget`);
    assert.ok(codes.size >= 5, `the mutations should reach several checks, saw ${[...codes].join(', ')}`);
  });
});
