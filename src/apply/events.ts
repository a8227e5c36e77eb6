// Events the executor emits while it runs; reporters turn them into lines, NDJSON or a progress display.

export type RunOutcome = 'succeeded' | 'failed' | 'unknown' | 'submitted' | 'skipped';

export type ApplyEvent =
  | { type: 'import-start'; name: string; action: string; database: number; rows: number; file?: string }
  | { type: 'upload-progress'; name: string; bytes: number }
  | { type: 'import-created'; name: string; id: string; file?: string }
  | { type: 'import-progress'; name: string; id: string; status: string; processed: number; total: number }
  | {
      type: 'import-finished';
      name: string;
      /** per-file mode: the file this run imported. */
      file?: string;
      outcome: RunOutcome;
      ids: string[];
      durationMs: number;
      code?: string;
      message?: string;
      hint?: string;
    }
  | { type: 'import-skipped'; name: string; because: string }
  | { type: 'retry'; name?: string; message: string; delayMs: number };
