// Runs imports asynchronously: "ready for start" -> "running" -> "finished" (or `lasterror`), over importDelayMs.
import { setTimeout as delay } from 'node:timers/promises';
import { ImportRun } from './import-apply.js';
import type { ImportRequest } from './import-request.js';
import { ImportSourceError, readImportTable } from './import-source.js';
import { formatTimestamp } from './records.js';
import type { EmulatorStore } from './store.js';
import type { DatabaseRecord, ImportRecord } from './types.js';

const STATUS = { ready: 'ready for start', running: 'running', finished: 'finished', failed: 'error' };

export class ImportJobs {
  private readonly closing = new AbortController();

  constructor(
    private readonly store: EmulatorStore,
    private readonly delayMs: number,
  ) {
    // An import that was running when a persisted emulator stopped never finished; say so.
    for (const record of store.data.imports) {
      if (record.status !== STATUS.running) continue;
      record.status = STATUS.failed;
      record.lasterror = 'The emulator stopped before the import finished';
    }
  }

  /** `fail`: an injected fault, the import fails while it runs (after its first row). */
  create(request: ImportRequest, db: DatabaseRecord, fail = false): ImportRecord {
    const record: ImportRecord = {
      id: this.store.takeId('import'),
      name: request.name,
      databaseId: db.id,
      action: request.action,
      status: STATUS.ready,
      totallines: 0,
      processedlines: 0,
      lastrun: false,
      lasterror: false,
      created: formatTimestamp(this.store.now()),
    };
    this.store.data.imports.push(record);
    this.store.save();
    // Whether autostart:false imports ever start is unknown; here they wait for ever.
    if (request.autostart) void this.schedule(record, request, db, fail);
    return record;
  }

  /** Stops pending imports (the server is closing). */
  close(): void {
    this.closing.abort();
  }

  private async schedule(record: ImportRecord, request: ImportRequest, db: DatabaseRecord, fail: boolean) {
    const half = Math.floor(this.delayMs / 2);
    if (!(await this.wait(half))) return;
    record.status = STATUS.running;
    this.store.save();
    if (await this.wait(this.delayMs - half)) this.run(record, request, db, fail);
  }

  /** False when the server closed meanwhile. */
  private wait(ms: number): Promise<boolean> {
    return delay(ms, true, { signal: this.closing.signal }).catch(() => false);
  }

  private run(record: ImportRecord, request: ImportRequest, db: DatabaseRecord, fail: boolean): void {
    try {
      const read = readImportTable(request);
      // The injected failure imports the first row, then stops: part of the data is in, as after a real crash.
      const table = fail ? { ...read, rows: read.rows.slice(0, 1) } : read;
      record.totallines = table.rows.length;
      record.stats = new ImportRun(this.store, db, request, table.columns).apply(table.rows);
      record.processedlines = table.rows.length;
      if (fail) throw new ImportSourceError('The import stopped after its first row (an injected fault)');
      record.status = STATUS.finished;
      record.lastrun = formatTimestamp(this.store.now());
    } catch (error) {
      if (!(error instanceof ImportSourceError)) throw error;
      record.status = STATUS.failed;
      record.lasterror = error.message;
    }
    this.store.save();
  }
}
