// The one table of exit codes; `--help` prints it and src/cli/main.ts is the only place that sets one.

export const EXIT = {
  ok: 0,
  failure: 1,
  changes: 2,
  refused: 3,
  usage: 64,
  config: 78,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODE_TABLE: ReadonlyArray<readonly [ExitCode, string]> = [
  [EXIT.ok, 'ok, or nothing to do'],
  [EXIT.failure, 'an import, source, state or API failure'],
  [EXIT.changes, 'plan --detailed-exitcode: there are changes to apply'],
  [EXIT.refused, 'refused by a safety guard'],
  [EXIT.usage, 'usage error (unknown command or option, bad value)'],
  [EXIT.config, 'invalid configuration (imports.yaml or its sources)'],
  [EXIT.interrupted, 'interrupted (SIGINT/SIGTERM)'],
];
