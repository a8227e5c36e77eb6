// Holds the emulator's data, finds databases and collections, and persists to --data atomically on change.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { CopernicaSyncError } from '../core/errors.js';
import { type EmulatorSeed, loadSeed } from './seed.js';
import type { CollectionRecord, DatabaseRecord, EmulatorData } from './types.js';

export class EmulatorStore {
  readonly data: EmulatorData;

  constructor(
    seed: string | EmulatorSeed | undefined,
    private readonly dataFile: string | undefined,
    readonly now: () => Date,
  ) {
    const persisted = dataFile ? loadDataFile(dataFile) : undefined;
    this.data = persisted ?? loadSeed(seed, now());
    if (!persisted) this.save();
  }

  /** Writes the whole data set to a temp file, then renames it over the old one. */
  save(): void {
    if (!this.dataFile) return;
    const temp = `${this.dataFile}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.data)}\n`);
    renameSync(temp, this.dataFile);
  }

  /**
   * By ID, or by name (a database name is never numeric): the exact name first, then one that differs only
   * in letter case, as Copernica matches names.
   */
  findDatabase(idOrName: string): DatabaseRecord | undefined {
    const { databases } = this.data;
    if (/^\d+$/.test(idOrName)) return databases.find((d) => d.id === Number(idOrName));
    const exact = databases.find((d) => d.name === idOrName);
    return exact ?? databases.find((d) => d.name.toLowerCase() === idOrName.toLowerCase());
  }

  findCollection(id: string): { database: DatabaseRecord; collection: CollectionRecord } | undefined {
    if (!/^\d+$/.test(id)) return undefined;
    for (const database of this.data.databases) {
      const collection = database.collections.find((c) => c.id === Number(id));
      if (collection) return { database, collection };
    }
    return undefined;
  }

  takeId(kind: keyof EmulatorData['nextId']): number {
    return this.data.nextId[kind]++;
  }
}

function loadDataFile(path: string): EmulatorData | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as EmulatorData;
    if (parsed.version !== 1 || !Array.isArray(parsed.databases))
      throw new Error('not an emulator data file');
    return parsed;
  } catch (error) {
    throw new CopernicaSyncError('E_EMULATOR_DATA', `cannot read the emulator data file ${path}`, {
      cause: error,
      hint: 'delete it to start again from the seed',
    });
  }
}
