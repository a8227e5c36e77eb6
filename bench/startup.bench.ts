// `validate` on the root imports.yaml against a bare `node -e 0`: the cost of our start-up.
import { join } from 'node:path';
import { type BenchRow, compareRuns, repeat, timeCommand } from './lib.js';

export async function runStartupBench(options: { runs: number; repoRoot: string }): Promise<BenchRow[]> {
  const cli = join(options.repoRoot, 'dist', 'src', 'bundle', 'main.js');
  const config = join(options.repoRoot, 'imports.yaml');
  const node = process.execPath;
  const baseline = await repeat(options.runs, () => timeCommand(node, ['-e', '0']));
  const subject = await repeat(options.runs, () =>
    timeCommand(node, [cli, 'validate', '-c', config], { cwd: options.repoRoot }),
  );
  return [
    compareRuns(
      'validate start-up',
      { label: 'copernica-sync validate (root imports.yaml)', runs: subject },
      { label: 'node -e 0', runs: baseline },
      {
        text: 'answers in well under 1 s',
        met: (_ratio, _rss) => Math.max(...subject.map((r) => r.seconds)) < 1,
      },
    ),
  ];
}
