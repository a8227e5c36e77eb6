// What validate, plan and apply take: the CLI's options in camelCase (DESIGN.md section 8).
import type { RunEvent } from './events.js';

export interface RunOptions {
  /** imports.yaml, relative to `cwd` (default: imports.yaml). */
  config?: string;
  cwd?: string;
  /** Where the token (copernica.tokenEnv) and COPERNICA_API_URL are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Overrides imports.yaml's `state:`. */
  state?: string;
  /** These imports and what they depend on. */
  only?: string[];
  /** Let sources reach outside the directory of imports.yaml. */
  allowOutside?: boolean;
  /** Aborts the run (commands are ended, requests abandoned); apply records what it knows. */
  signal?: AbortSignal;
  /** Everything the run has to say, as it happens: diagnostics, the plan, each import's progress. */
  onEvent?: (event: RunEvent) => void;
}

export interface PlanRunOptions extends RunOptions {
  /** Pre-flight against the API: databases, fields, live counts for the delete-share guard. */
  remote?: boolean;
  /** Only what changed since this git commit, the files at that commit standing in for the state. */
  changedSince?: string;
  force?: boolean;
  allowDestructive?: boolean;
}

export interface ApplyRunOptions extends PlanRunOptions {
  /** Refuse (exit 3, nothing sent) unless the plan has this hash. */
  planHash?: string;
  /** Poll each import until Copernica reports it done (default true). */
  wait?: boolean;
  /** How long to poll one import: ms, or a duration like "30m" (default 30m). */
  waitTimeout?: number | string;
  /** Plan only, send nothing, take no lock. */
  dryRun?: boolean;
}
