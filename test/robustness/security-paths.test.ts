// Security, paths: sources reaching outside the directory of imports.yaml are refused with E_SOURCE_OUTSIDE and never read.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/start-emulator.js';
import { CLI_PATH, runCliProcess } from '../helpers/cli.js';
import { runCliInProcess } from './run-in-process.js';

const root = mkdtempSync(join(tmpdir(), 'copernica-sync-escape-'));
const project = join(root, 'project');
const SECRET = 'SECRET_MARKER_7f3a';
let emulator: Emulator;

before(async () => {
  mkdirSync(join(project, 'data', 'sub'), { recursive: true });
  // A header without the key field: if the file were scanned, E_SOURCE_KEY_MISSING would say so.
  writeFileSync(join(root, 'secret.csv'), `${SECRET},Name\nx,y\n`);
  // Opening a FIFO with no writer blocks: a read attempt would hang the run past its timeout.
  execFileSync('mkfifo', [join(root, 'fifo.csv')]);
  writeFileSync(join(project, 'data', 'sub', 'in.csv'), 'Email\na@example.com\n');
  symlinkSync(join(root, 'secret.csv'), join(project, 'link.csv'));
  symlinkSync('..', join(project, 'updir'));
  emulator = await startEmulator({ port: 0 });
});
after(async () => {
  await emulator.close();
  rmSync(root, { recursive: true, force: true });
});

/** strace where it exists (a Linux CI box); the FIFO and content checks hold everywhere. */
const TRACE = spawnSync('strace', ['-V']).status === 0;
/** Escapes also run through `apply`, and traced with strace. */
const APPLIED = ['../secret.csv', 'link.csv', 'updir/*.csv', '**/../../secret.csv'];
const ESCAPES = [
  '../secret.csv',
  'ABS/secret.csv',
  'link.csv',
  'updir/*.csv',
  '**/../../secret.csv',
  'data/**/../../../secret.csv',
  './../secret.csv',
  '../fifo.csv',
  'ABS/fifo.csv',
];

function configFor(source: string): string {
  const copernica = `copernica: { url: "${emulator.url}" }`;
  const body = `  a: { database: 1, keyFields: [Email], source: "${source.replace('ABS', root)}" }`;
  return ['version: 1', copernica, 'state: .state/state.json', 'imports:', body, ''].join('\n');
}

/** With strace present, the paths the CLI opened; undefined where strace cannot run. */
function openedPaths(args: string[]): string[] | undefined {
  const log = join(root, 'strace.log');
  const traced = spawnSync(
    'strace',
    ['-f', '-qq', '-e', 'trace=open,openat', '-o', log, process.execPath, CLI_PATH, ...args],
    { cwd: project, env: { ...process.env, COPERNICA_ACCESS_TOKEN: emulator.token }, timeout: 20_000 },
  );
  // Not 78: strace could not trace here (e.g. ptrace denied in a container); the other checks still hold.
  if (traced.error || traced.status !== 78) return undefined;
  const text = readFileSync(log, 'utf8');
  return [...text.matchAll(/open(?:at)?\([^"]*"([^"]+)"/g)].map((m) => m[1] ?? '');
}

describe('sources outside the directory of imports.yaml', () => {
  for (const source of ESCAPES) {
    it(`source "${source}": validate says E_SOURCE_OUTSIDE (exit 78) without opening it`, async () => {
      writeFileSync(join(project, 'imports.yaml'), configFor(source));
      const r = await runCliProcess(['validate'], { cwd: project, timeoutMs: 10_000 });
      const output = `${r.stdout}\n${r.stderr}`;
      assert.equal(r.exitCode, 78, output);
      assert.match(output, /^imports\.yaml:5:\d+ error E_SOURCE_OUTSIDE /m);
      assert.doesNotMatch(
        output,
        /E_SOURCE_KEY_MISSING|E_SOURCE_READ|E_INTERNAL/,
        'the outside file was read',
      );
      assert.ok(!output.includes(SECRET));
      // Where strace runs, the system calls say it too: no open() of anything outside.
      const opened = TRACE && APPLIED.includes(source) ? openedPaths(['validate']) : undefined;
      if (opened)
        assert.ok(
          opened.some((p) => p.endsWith('imports.yaml')),
          'strace saw the config opened',
        );
      const outside = (opened ?? []).filter((p) => p.includes('secret.csv') || p.includes('fifo.csv'));
      assert.deepEqual(outside, [], `source "${source}" opened a file outside`);
    });
  }

  for (const source of APPLIED) {
    it(`source "${source}": apply stops with E_SOURCE_OUTSIDE (exit 78) and sends nothing`, async () => {
      writeFileSync(join(project, 'imports.yaml'), configFor(source));
      const sent = emulator.requests.length;
      const r = await runCliInProcess(['apply'], {
        cwd: project,
        env: { COPERNICA_ACCESS_TOKEN: emulator.token },
      });
      const output = `${r.stdout}\n${r.stderr}`;
      assert.equal(r.exitCode, 78, output);
      assert.match(r.stderr, /error E_SOURCE_OUTSIDE/);
      assert.ok(!output.includes(SECRET));
      assert.equal(emulator.requests.length, sent, 'no request for an import that reaches outside');
    });
  }
});
