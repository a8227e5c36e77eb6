// Every command of DESIGN.md section 4, with its options; handlers load lazily so start-up stays fast.
import type { CommandHandler } from '../context.js';

/** `--flag <value>`, what it does, and its default. */
export type OptionSpec = readonly [flags: string, description: string, defaultValue?: string];

/** The options most commands share; each command lists the ones that mean something to it. */
export type CommonOption = 'config' | 'format' | 'state' | 'only' | 'quiet' | 'verbose' | 'color';

const RUN_OPTIONS: CommonOption[] = ['config', 'format', 'state', 'only', 'quiet', 'verbose', 'color'];

export interface CommandSpec {
  name: string;
  summary: string;
  common: CommonOption[];
  options: OptionSpec[];
  load: () => Promise<CommandHandler>;
  /** Winds down on SIGINT/SIGTERM through ctx.signal instead of exiting at once. */
  handlesSignals?: boolean;
  /** Every line carries the time (a long-running process's log). */
  timestamps?: boolean;
}

const OUTSIDE: OptionSpec = ['--allow-outside', 'let sources reach outside the directory of imports.yaml'];
const DESTRUCTIVE: OptionSpec = [
  '--allow-destructive',
  'pass the safety guards (the reason is printed either way)',
];
const CHANGED_SINCE: OptionSpec = [
  '--changed-since <git-ref>',
  'only imports whose definition or files changed since this commit',
];
const WAIT_TIMEOUT: OptionSpec = [
  '--wait-timeout <duration>',
  'how long to poll one import (e.g. 30m)',
  '30m',
];

export const COMMANDS: CommandSpec[] = [
  {
    name: 'validate',
    summary: 'check imports.yaml and its sources, offline',
    common: ['config', 'format', 'state', 'quiet', 'verbose', 'color'],
    options: [OUTSIDE],
    load: async () => (await import('./validate.js')).runValidate as CommandHandler,
  },
  {
    name: 'plan',
    summary: 'show what apply would do, offline unless --remote',
    common: RUN_OPTIONS,
    options: [
      CHANGED_SINCE,
      OUTSIDE,
      ['--detailed-exitcode', 'exit 0 when nothing would run, 2 when something would, 3 when refused'],
      ['--remote', 'pre-flight against the API: databases, fields, live counts for the guards'],
      DESTRUCTIVE,
      ['--force', 'plan unchanged imports to run too'],
    ],
    handlesSignals: true,
    load: async () => (await import('./plan.js')).runPlan as CommandHandler,
  },
  {
    name: 'apply',
    summary: 'run the new and changed imports',
    common: RUN_OPTIONS,
    options: [
      CHANGED_SINCE,
      OUTSIDE,
      ['--force', 'run unchanged imports too'],
      ['--dry-run', 'plan only, send nothing'],
      DESTRUCTIVE,
      ['--plan-hash <sha>', 'refuse unless the plan matches the reviewed one'],
      ['--no-wait', 'do not poll imports to completion'],
      WAIT_TIMEOUT,
      ['--emulator', 'run against an in-process emulator seeded from examples/, with throwaway state'],
    ],
    handlesSignals: true,
    load: async () => (await import('./apply.js')).runApply as CommandHandler,
  },
  {
    name: 'watch',
    summary: 'apply, then apply again whenever a source or imports.yaml changes',
    common: RUN_OPTIONS,
    options: [
      ['--debounce <ms>', 'quiet time before an import runs', '1000'],
      ['--poll', 'poll the filesystem (network mounts; also CHOKIDAR_USEPOLLING)'],
      ['--health-port <n>', 'serve /healthz and /status on this port'],
      ['--health-host <host>', 'address for the health server', '127.0.0.1'],
      DESTRUCTIVE,
      OUTSIDE,
      WAIT_TIMEOUT,
      ['--shutdown-timeout <duration>', 'on SIGINT/SIGTERM, how long running imports may finish', '30s'],
      ['--retry-backoff <duration>', 'first retry delay after a failed import; doubles per failure', '1m'],
      ['--max-backoff <duration>', 'longest retry delay', '15m'],
    ],
    handlesSignals: true,
    timestamps: true,
    load: async () => (await import('./watch.js')).runWatch as CommandHandler,
  },
  {
    name: 'status',
    summary: 'last applied state per import; with a token, live import status',
    common: RUN_OPTIONS,
    options: [
      ['--live', 'ask Copernica for each import even so (automatic when the token is set)'],
      [
        '--rows <import>',
        "page through the import's database: how many of its row snapshot's rows Copernica holds otherwise",
      ],
    ],
    load: async () => (await import('./status.js')).runStatus as CommandHandler,
  },
  {
    name: 'emulator',
    summary: 'run a local Copernica-compatible API',
    common: [],
    options: [
      ['--port <n>', 'port (0 = any free port)', '8787'],
      ['--host <host>', 'address to bind', '127.0.0.1'],
      ['--token <token>', 'access token to accept (else COPERNICA_ACCESS_TOKEN, else a made-up one)'],
      ['--seed <file>', 'seed YAML: databases, fields, collections, profiles'],
      ['--data <file>', 'persist the data in this JSON file across restarts'],
      ['--import-delay <ms>', 'how long an import takes', '200'],
      ['--fail-rate <r>', 'share of requests answered with a fault (0..1)', '0'],
      ['--latency <ms>', 'added to every response', '0'],
      ['--rate-limit <n>', 'requests per second before 429 (0 = none)', '0'],
    ],
    handlesSignals: true,
    load: async () => (await import('./emulator.js')).runEmulator as CommandHandler,
  },
  {
    name: 'init',
    summary: 'write a starter imports.yaml with the schema modeline',
    common: ['config', 'quiet'],
    options: [['--force', 'overwrite an existing file']],
    load: async () => (await import('./init.js')).runInit as CommandHandler,
  },
  {
    name: 'schema',
    summary: 'print the JSON Schema of imports.yaml',
    common: [],
    options: [],
    load: async () => (await import('./schema.js')).runSchema as CommandHandler,
  },
];
