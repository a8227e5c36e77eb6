// `command` sources: stdout is the data (scanned as `<command>`), failures carry the stderr tail, a timeout kills.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { ImportDefinition } from '../../src/config/types.js';
import { disposeSources, resolveSource, toHashCacheEntries } from '../../src/sources/resolve-source.js';
import { streamSourceText } from '../../src/sources/stream-source-text.js';
import { createFixtureDir } from '../helpers/cli.js';
import { createDefinition } from './scan-helpers.js';

const fixture = createFixtureDir({
  'export.mjs':
    "process.stdout.write('Email,Name\\n' + process.argv.slice(2).map((n) => n + '@x.nl,' + n + '\\n').join(''));",
  'fail.mjs':
    "for (let i = 1; i <= 30; i += 1) process.stderr.write('log line ' + i + '\\n'); process.stderr.write('fatal: no db\\n'); process.exit(3);",
  'hang.mjs': 'setInterval(() => {}, 1000);',
  'cwd.mjs': "process.stdout.write('Email\\n' + process.cwd().length + '@x.nl\\n');",
});
after(() => fixture.cleanup());

function commandDef(script: string, args: string[] = [], timeoutMs = 10_000): ImportDefinition {
  return createDefinition({
    source: { kind: 'command', argv: [process.execPath, script, ...args], timeoutMs },
  });
}

const ctx = () => ({
  configDir: fixture.dir,
  displayDir: fixture.dir,
  cache: {},
  nowMs: Date.now(),
  allowOutside: false,
});

describe('command sources', () => {
  it('scans the command stdout as <command>, runs in the config directory, and disposes its temp file', async () => {
    const source = await resolveSource(commandDef('export.mjs', ['ann', 'bob']), ctx());
    assert.deepEqual(
      [source.kind, source.rows, source.header, source.diagnostics],
      ['command', 2, ['Email', 'Name'], []],
    );
    assert.equal(source.files[0]?.path, '<command>');
    let text = '';
    for await (const chunk of streamSourceText(source)) text += chunk;
    assert.equal(text, 'Email,Name\nann@x.nl,ann\nbob@x.nl,bob\n');
    assert.deepEqual(toHashCacheEntries([source], Date.now()), {}, 'command output is never cached');
    const temp = source.files[0]?.absPath ?? '';
    assert.ok(existsSync(temp));
    await disposeSources([source]);
    assert.equal(existsSync(temp), false);
  });

  it('runs relative scripts from the config directory', async () => {
    const source = await resolveSource(commandDef('./cwd.mjs'), ctx());
    assert.deepEqual([source.rows, source.diagnostics], [1, []]);
    await disposeSources([source]);
  });

  it('E_SOURCE_COMMAND with the exit code and the last 20 lines of stderr', async () => {
    const source = await resolveSource(commandDef('fail.mjs'), ctx());
    await disposeSources([source]);
    assert.deepEqual(
      source.diagnostics.map((d) => [d.code, d.position?.line]),
      [['E_SOURCE_COMMAND', 5]],
    );
    const message = source.diagnostics[0]?.message ?? '';
    assert.match(message, /exited with code 3/);
    assert.match(message, /fatal: no db$/);
    assert.match(message, /log line 12\n/);
    assert.doesNotMatch(message, /log line 11\n/);
    assert.deepEqual(source.files, []);
  });

  it('E_SOURCE_COMMAND when the command times out', async () => {
    const started = Date.now();
    const source = await resolveSource(commandDef('hang.mjs', [], 300), ctx());
    await disposeSources([source]);
    assert.match(source.diagnostics[0]?.message ?? '', /timed out after 300ms/);
    assert.ok(Date.now() - started < 8000);
  });

  it('E_SOURCE_COMMAND when the program does not exist', async () => {
    const def = createDefinition({
      source: { kind: 'command', argv: ['./no-such-program'], timeoutMs: 5000 },
    });
    const source = await resolveSource(def, ctx());
    await disposeSources([source]);
    assert.deepEqual(
      source.diagnostics.map((d) => d.code),
      ['E_SOURCE_COMMAND'],
    );
  });
});
