// Crash safety: an apply SIGKILLed at 20 points leaves a parsable state and a stale lock; the rerun finishes without duplicates.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/start-emulator.js';
import { isStateTempFile } from '../../src/state/state-store.js';
import type { StateFile } from '../../src/state/types.js';
import { importsYaml, type Project, startProject } from '../e2e/helpers.js';
import { applyUntil, readStateIfAny, settleEmulator } from './crash-harness.js';
import { KILL_POINTS } from './kill-points.js';
import { runCliInProcess } from './run-in-process.js';

const NAMES = ['big', 'dup', 'tail'];
const CONFIG = importsYaml(
  [
    '  big: { database: Newsletter, keyFields: [Email], source: big.csv }',
    '  dup: { database: Newsletter, action: add, source: dup.csv }',
    '  tail: { database: Newsletter, keyFields: [Email], source: tail.csv }',
  ].join('\n'),
);

/** 1 MiB in 4 rows: long enough to hash and upload for a moment, cheap for the emulator to apply. */
function bigCsv(): string {
  const rows = Array.from({ length: 4 }, (_, i) => `big${i}@example.com,${'x'.repeat(256 * 1024)}`);
  return `Email,Name\n${rows.join('\n')}\n`;
}

const FILES = {
  'imports.yaml': CONFIG,
  'big.csv': bigCsv(),
  'dup.csv': 'Email,Name\ndup@example.com,Dup\n',
  'tail.csv': 'Email,Name\ntail@example.com,Tail\n',
};

function importCounts(emulator: Emulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of emulator.listImports()) {
    const key = record.name.split(' ')[0] ?? '';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The 201 for this import reached the state before the kill: the rerun must not send it again. */
function recorded(state: StateFile | undefined, name: string): boolean {
  const entry = state?.imports[name];
  return entry?.importId !== undefined && (entry.outcome === 'submitted' || entry.outcome === 'finished');
}

describe('apply killed with SIGKILL', { concurrency: 4 }, () => {
  for (const [index, point] of KILL_POINTS.entries()) {
    it(`#${index + 1} ${point.name}: state parses, the lock is taken over, the rerun sends nothing twice`, async () => {
      const p: Project = await startProject(FILES, { importDelayMs: 150 });
      try {
        point.arrange?.(p);
        const killed = await applyUntil(p, point);
        await settleEmulator(p.emulator.requests);
        const afterKill = readStateIfAny(p.statePath); // throws if the state does not parse
        const lockLeft = existsSync(`${p.statePath}.lock`);
        const before = importCounts(p.emulator);

        // The next run, in this process (the kill needed a child; the rerun does not).
        const rerun = await runCliInProcess(['apply'], {
          cwd: p.dir,
          env: { COPERNICA_API_URL: p.emulator.url, COPERNICA_ACCESS_TOKEN: p.emulator.token },
        });
        assert.equal(rerun.exitCode, 0, `${rerun.stdout}\n${rerun.stderr}`);
        if (lockLeft) assert.match(rerun.stderr, /warning: took over a stale lock of pid \d+/);
        else {
          // No lock left: the run never got that far, or the kill landed after it released the lock.
          const released = !killed.killed || /"type":"summary"/.test(killed.stdout);
          assert.ok(
            released || afterKill === undefined,
            'a run killed while holding the lock leaves it behind',
          );
        }
        assert.equal(existsSync(`${p.statePath}.lock`), false, 'the rerun released the lock');
        const litter = readdirSync(dirname(p.statePath)).filter((f) => isStateTempFile(p.statePath, f));
        assert.deepEqual(litter, [], 'the rerun removed temp files a killed write left');

        const after = importCounts(p.emulator);
        const final = p.state();
        for (const name of NAMES) {
          const sentAgain = (after.get(name) ?? 0) - (before.get(name) ?? 0);
          if (recorded(afterKill, name)) assert.equal(sentAgain, 0, `${name} was recorded, yet re-sent`);
          else if ((before.get(name) ?? 0) === 0) assert.equal(sentAgain, 1, `${name} never ran`);
          else assert.ok(sentAgain <= 1, `${name}: its 201 was never recorded, so at most one re-send`);
          assert.match(final.imports[name]?.outcome ?? '', /^(finished|submitted)$/, name);
        }
      } finally {
        await p.close();
      }
    });
  }
});
