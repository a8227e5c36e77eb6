// Crash safety: an apply SIGKILLed at 20 points leaves a parsable state and a stale lock; the rerun finishes without duplicates.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/start-emulator.js';
import type { StateFile } from '../../src/state/types.js';
import { importsYaml, type Project, startProject } from '../e2e/helpers.js';
import { applyUntil, readStateIfAny, settleEmulator } from './crash-harness.js';
import { KILL_POINTS } from './kill-points.js';

const NAMES = ['big', 'dup', 'tail'];
const CONFIG = importsYaml(
  [
    '  big: { database: Newsletter, keyFields: [Email], source: big.csv }',
    '  dup: { database: Newsletter, action: add, source: dup.csv }',
    '  tail: { database: Newsletter, keyFields: [Email], source: tail.csv }',
  ].join('\n'),
);

/** 2 MiB in 8 rows: long enough to hash and upload for a moment, cheap for the emulator to apply. */
function bigCsv(): string {
  const rows = Array.from({ length: 8 }, (_, i) => `big${i}@example.com,${'x'.repeat(256 * 1024)}`);
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
  return entry?.importId !== undefined && (entry.outcome === 'submitted' || entry.outcome === 'succeeded');
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
        if (process.env.RB_DEBUG) console.error(point.name, killed.killed, killed.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l).type).slice(-2), lockLeft, JSON.stringify(afterKill ? Object.fromEntries(Object.entries(afterKill.imports).map(([k, e]) => [k, e.outcome])) : null), JSON.stringify([...before]));

        const rerun = await p.cli(['apply']);
        assert.equal(rerun.exitCode, 0, `${rerun.stdout}\n${rerun.stderr}`);
        if (lockLeft) assert.match(rerun.stderr, /warning: took over a stale lock of pid \d+/);
        else assert.equal(killed.killed, false, 'a killed run after taking the lock leaves it behind');
        assert.equal(existsSync(`${p.statePath}.lock`), false, 'the rerun released the lock');

        const after = importCounts(p.emulator);
        const final = p.state();
        for (const name of NAMES) {
          const sentAgain = (after.get(name) ?? 0) - (before.get(name) ?? 0);
          if (recorded(afterKill, name)) assert.equal(sentAgain, 0, `${name} was recorded, yet re-sent`);
          else if ((before.get(name) ?? 0) === 0) assert.equal(sentAgain, 1, `${name} never ran`);
          else assert.ok(sentAgain <= 1, `${name}: its 201 was never recorded, so at most one re-send`);
          assert.match(final.imports[name]?.outcome ?? '', /^(succeeded|submitted)$/, name);
        }
      } finally {
        await p.close();
      }
    });
  }
});
