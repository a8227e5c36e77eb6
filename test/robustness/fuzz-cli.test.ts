// Fuzzing through the built CLI: mutated projects under `validate` and `plan` exit 0/1/3/78, print no stack trace, send nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/start-emulator.js';
import { createFixtureDir, runCliProcess } from '../helpers/cli.js';
import { createRng } from '../helpers/prng.js';
import { mutateConfig } from './mutate-config.js';
import { mutateSource } from './mutate-source.js';

const SEED = 3_141_592;
const CASES = 20;
const EXIT_CODES = new Set([0, 1, 3, 78]);

function baseConfig(url: string): string {
  return [
    'version: 1',
    'copernica:',
    `  url: ${url}`,
    '  retry: { attempts: 2, maxDelay: 50ms }',
    'state: .state/state.json',
    'imports:',
    '  people:',
    '    database: 1',
    '    keyFields: [Email]',
    '    source: data/*.csv',
    '  events: { database: 2, action: add, source: events.jsonl }',
    '  gone:',
    '    database: 1',
    '    action: delete',
    '    keyFields: [Email]',
    '    source: gone.json',
    '    dependsOn: [people]',
    '',
  ].join('\n');
}

const SOURCES: Record<string, string> = {
  'data/a.csv': 'Email,Name\nann@example.com,Ann\nbob@example.com,"Bob, Jr"\n',
  'events.jsonl': '{"Email":"ann@example.com","Kind":"open"}\n{"Email":"bob@example.com","Kind":"click"}\n',
  'gone.json': '[{"Email":"old@example.com"}]\n',
};

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ port: 0, importDelayMs: 1 });
});
after(async () => {
  await emulator.close();
});

describe('fuzzing through the CLI (validate, plan)', { concurrency: 2 }, () => {
  const rng = createRng(SEED);
  for (let index = 0; index < CASES; index++) {
    const config = rng.chance(0.75) ? mutateConfig(baseConfig('URL'), rng) : baseConfig('URL');
    const files: Record<string, string | Buffer> = { ...SOURCES };
    const victim = rng.pick(Object.keys(SOURCES));
    if (rng.chance(0.6)) files[victim] = mutateSource(Buffer.from(SOURCES[victim] ?? ''), rng);
    const command = index % 2 === 0 ? 'validate' : 'plan';
    it(`case ${index}: ${command} exits 0/1/3/78 with no stack trace and no request`, async () => {
      const fixture = createFixtureDir({ ...files, 'imports.yaml': config.replaceAll('URL', emulator.url) });
      try {
        const sent = emulator.requests.length;
        const r = await runCliProcess([command], {
          cwd: fixture.dir,
          env: { COPERNICA_ACCESS_TOKEN: emulator.token },
          timeoutMs: 15_000,
        });
        const output = `${r.stdout}\n${r.stderr}`;
        const shown = `exit ${r.exitCode}\n${output.slice(0, 3000)}\n--- imports.yaml ---\n${config}`;
        assert.ok(EXIT_CODES.has(r.exitCode), shown);
        assert.doesNotMatch(output, /^\s+at .+[:(]/m, `stack trace\n${shown}`);
        assert.doesNotMatch(output, /E_INTERNAL/, shown);
        assert.ok(!output.includes(emulator.token), 'the token appeared in the output');
        assert.equal(emulator.requests.length, sent, `${command} sent a request`);
        if (r.exitCode !== 0) assert.match(output, /\bE_[A-Z0-9_]+\b/, `a failure names its code\n${shown}`);
      } finally {
        fixture.cleanup();
      }
    });
  }
});
