// Every command of DESIGN.md section 4, with its options; handlers load lazily so start-up stays fast.
import type { CommandHandler } from '../context.js';

export interface OptionSpec {
  flags: string;
  description: string;
  choices?: string[];
  defaultValue?: string | boolean;
  /** Parses the raw value; throw UsageError for a bad one. */
  parse?: (raw: string) => unknown;
}

/** The options most commands share; each command lists the ones that mean something to it. */
export type CommonOption = 'config' | 'format' | 'state' | 'only' | 'quiet' | 'verbose' | 'color';

const RUN_OPTIONS: CommonOption[] = ['config', 'format', 'state', 'only', 'quiet', 'verbose', 'color'];

export interface CommandSpec {
  name: string;
  summary: string;
  common: CommonOption[];
  options: OptionSpec[];
  /** Positional arguments, commander syntax, e.g. "[file]". */
  args?: string;
  load: () => Promise<CommandHandler>;
  /** Winds down on SIGINT/SIGTERM through ctx.signal instead of exiting at once. */
  handlesSignals?: boolean;
  /** Every line carries the time (a long-running process's log). */
  timestamps?: boolean;
}

const PLAN_OPTIONS: OptionSpec[] = [
  {
    flags: '--changed-since <git-ref>',
    description: 'only imports whose definition or files changed since this commit',
  },
  { flags: '--allow-outside', description: 'let sources reach outside the directory of imports.yaml' },
];

export const COMMANDS: CommandSpec[] = [
  {
    name: 'validate',
    summary: 'check imports.yaml and its sources, offline',
    common: ['config', 'format', 'state', 'quiet', 'verbose', 'color'],
    options: [
      { flags: '--allow-outside', description: 'let sources reach outside the directory of imports.yaml' },
    ],
    load: async () => (await import('./validate.js')).runValidate as CommandHandler,
  },
  {
    name: 'plan',
    common: RUN_OPTIONS,
    summary: 'show what apply would do, offline unless --remote',
    options: [
      ...PLAN_OPTIONS,
      {
        flags: '--detailed-exitcode',
        description: 'exit 0 when nothing would run, 2 when something would, 3 when refused',
      },
      {
        flags: '--remote',
        description: 'pre-flight against the API: databases, fields, live counts for the guards',
      },
      {
        flags: '--allow-destructive',
        description: 'pass the safety guards (the reason is printed either way)',
      },
      { flags: '--force', description: 'plan unchanged imports to run too' },
    ],
    handlesSignals: true,
    load: async () => (await import('./plan.js')).runPlan as CommandHandler,
  },
  {
    name: 'apply',
    common: RUN_OPTIONS,
    summary: 'run the new and changed imports',
    options: [
      ...PLAN_OPTIONS,
      { flags: '--force', description: 'run unchanged imports too' },
      { flags: '--dry-run', description: 'plan only, send nothing' },
      {
        flags: '--allow-destructive',
        description: 'pass the safety guards (the reason is printed either way)',
      },
      { flags: '--plan-hash <sha>', description: 'refuse unless the plan matches the reviewed one' },
      { flags: '--no-wait', description: 'do not poll imports to completion' },
      {
        flags: '--wait-timeout <duration>',
        description: 'how long to poll one import (e.g. 30m)',
        defaultValue: '30m',
      },
      {
        flags: '--emulator',
        description: 'run against an in-process emulator seeded from examples/, with throwaway state',
      },
    ],
    handlesSignals: true,
    load: async () => (await import('./apply.js')).runApply as CommandHandler,
  },
  {
    name: 'watch',
    common: RUN_OPTIONS,
    timestamps: true,
    summary: 'apply, then apply again whenever a source or imports.yaml changes',
    options: [
      { flags: '--debounce <ms>', description: 'quiet time before an import runs', defaultValue: '1000' },
      { flags: '--poll', description: 'poll the filesystem (network mounts; also CHOKIDAR_USEPOLLING)' },
      { flags: '--health-port <n>', description: 'serve /healthz and /status on this port' },
      {
        flags: '--health-host <host>',
        description: 'address for the health server',
        defaultValue: '127.0.0.1',
      },
      { flags: '--allow-destructive', description: 'pass the safety guards' },
      { flags: '--allow-outside', description: 'let sources reach outside the directory of imports.yaml' },
      {
        flags: '--wait-timeout <duration>',
        description: 'how long to poll one import (e.g. 30m)',
        defaultValue: '30m',
      },
      {
        flags: '--shutdown-timeout <duration>',
        description: 'on SIGINT/SIGTERM, how long running imports may finish before they are abandoned',
        defaultValue: '30s',
      },
      {
        flags: '--retry-backoff <duration>',
        description: 'first retry delay after a failed import; doubles per failure',
        defaultValue: '1m',
      },
      { flags: '--max-backoff <duration>', description: 'longest retry delay', defaultValue: '15m' },
    ],
    handlesSignals: true,
    load: async () => (await import('./watch.js')).runWatch as CommandHandler,
  },
  {
    name: 'status',
    common: RUN_OPTIONS,
    summary: 'last applied state per import; with a token, live import status',
    options: [
      {
        flags: '--live',
        description: 'ask Copernica for each import even so (automatic when the token is set)',
      },
    ],
    load: async () => (await import('./status.js')).runStatus as CommandHandler,
  },
  {
    name: 'emulator',
    common: [],
    summary: 'run a local Copernica-compatible API',
    options: [
      { flags: '--port <n>', description: 'port (0 = any free port)', defaultValue: '8787' },
      { flags: '--host <host>', description: 'address to bind', defaultValue: '127.0.0.1' },
      {
        flags: '--token <token>',
        description: 'access token to accept (else COPERNICA_ACCESS_TOKEN, else a made-up one)',
      },
      { flags: '--seed <file>', description: 'seed YAML: databases, fields, collections, profiles' },
      { flags: '--data <file>', description: 'persist the data in this JSON file across restarts' },
      { flags: '--import-delay <ms>', description: 'how long an import takes', defaultValue: '200' },
      {
        flags: '--fail-rate <r>',
        description: 'share of requests answered with a fault (0..1)',
        defaultValue: '0',
      },
      { flags: '--latency <ms>', description: 'added to every response', defaultValue: '0' },
      {
        flags: '--rate-limit <n>',
        description: 'requests per second before 429 (0 = none)',
        defaultValue: '0',
      },
    ],
    handlesSignals: true,
    load: async () => (await import('./emulator.js')).runEmulator as CommandHandler,
  },
  {
    name: 'init',
    common: ['config', 'quiet'],
    summary: 'write a starter imports.yaml with the schema modeline',
    options: [{ flags: '--force', description: 'overwrite an existing file' }],
    load: async () => (await import('./init.js')).runInit as CommandHandler,
  },
  {
    name: 'schema',
    common: [],
    summary: 'print the JSON Schema of imports.yaml',
    options: [],
    load: async () => (await import('./schema.js')).runSchema as CommandHandler,
  },
];
