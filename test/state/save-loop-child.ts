// Child process for the crash test: saves an ever-growing state in a loop and reports each finished save.
import { saveState } from '../../src/state/state-store.js';
import { createEmptyState, type StateFile } from '../../src/state/types.js';

const path = process.argv[2];
if (!path) throw new Error('usage: save-loop-child <state path>');

let state: StateFile = createEmptyState();
for (let i = 1; ; i++) {
  const files = Array.from({ length: 200 }, (_, f) => ({ path: `data/${i}/${f}.csv`, hash: 'f'.repeat(64) }));
  const entry = {
    fingerprint: String(i),
    appliedAt: 'now',
    outcome: 'finished' as const,
    rows: i,
    files,
    header: [],
  };
  state = { ...state, imports: { ...state.imports, [`import-${i}`]: entry } };
  await saveState(path, state);
  process.stdout.write(`saved ${i}\n`);
}
