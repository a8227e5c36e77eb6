// Events the executor emits while it runs; reporters turn them into lines, NDJSON or a progress display.

export type RunOutcome = 'finished' | 'failed' | 'unknown' | 'submitted' | 'skipped';

export type ApplyEvent =
  /** `part: 'prune'`: the delete of keys the import sent before and the data no longer has (prune: true). */
  | {
      type: 'import-start';
      name: string;
      action: string;
      database: number;
      rows: number;
      file?: string;
      part?: 'prune';
    }
  | { type: 'upload-progress'; name: string; bytes: number }
  | { type: 'import-created'; name: string; id: string; file?: string; part?: 'prune' }
  | { type: 'import-progress'; name: string; id: string; status: string; processed: number; total: number }
  | {
      type: 'import-finished';
      name: string;
      /** per-file mode: the file this run imported. */
      file?: string;
      part?: 'prune';
      outcome: RunOutcome;
      ids: string[];
      durationMs: number;
      code?: string;
      message?: string;
      hint?: string;
    }
  | { type: 'import-skipped'; name: string; because: string }
  /** A submitted import's outcome, asked of Copernica before anything else runs. */
  | {
      type: 'import-resolved';
      name: string;
      file?: string;
      id: string;
      outcome: 'finished' | 'failed' | 'submitted';
      message?: string;
    }
  | { type: 'retry'; name?: string; message: string; delayMs: number };
