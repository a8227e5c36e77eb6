// The seed (a YAML file or an object): its shape, and how it becomes the emulator's first data.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { CopernicaSyncError, type CopernicaSyncErrorOptions } from '../core/errors.js';
import { formatTimestamp, newRecord } from './records.js';
import type { DatabaseRecord, EmulatorData, FieldRecord } from './types.js';

/** A field in a seed: a bare name (type text) or an object. */
type SeedField = string | { name: string; type?: string; value?: string };

type SeedValues = Record<string, string | number | boolean | null>;

interface SeedProfile {
  fields: SeedValues;
  /** Collection name -> the subprofiles' field values. */
  subprofiles?: Record<string, SeedValues[]>;
}

interface SeedCollection {
  id?: number;
  name: string;
  fields?: SeedField[];
}

interface SeedDatabase {
  id?: number;
  name: string;
  description?: string;
  fields?: SeedField[];
  collections?: SeedCollection[];
  profiles?: SeedProfile[];
}

export interface EmulatorSeed {
  identity?: { name?: string; description?: string; company?: string };
  databases: SeedDatabase[];
}

/** examples/emulator-seed.yaml of the package (dist/src/emulator -> repo root). */
const DEFAULT_SEED_PATH = fileURLToPath(new URL('../../../examples/emulator-seed.yaml', import.meta.url));

export function loadSeed(seed: string | EmulatorSeed | undefined, now: Date): EmulatorData {
  const { identity, databases } = typeof seed === 'object' ? seed : readSeedFile(seed ?? DEFAULT_SEED_PATH);
  const data: EmulatorData = {
    version: 1,
    identity: {
      name: identity?.name ?? 'Emulator account',
      description: identity?.description ?? 'copernica-sync emulator',
      company: identity?.company ?? 'Example Company',
    },
    nextId: { database: 1, field: 1, collection: 1, profile: 1, subprofile: 1, import: 1 },
    databases: [],
    profiles: [],
    subprofiles: [],
    imports: [],
  };
  for (const db of databases) addSeedDatabase(data, db, formatTimestamp(now));
  return data;
}

function readSeedFile(path: string): EmulatorSeed {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw seedError(`cannot read the emulator seed ${path}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as EmulatorSeed).databases)) {
    throw seedError(`the emulator seed ${path} has no "databases" list`, {
      hint: 'see examples/emulator-seed.yaml for the format',
    });
  }
  return parsed as EmulatorSeed;
}

function addSeedDatabase(data: EmulatorData, seed: SeedDatabase, stamp: string): void {
  if (typeof seed.name !== 'string' || seed.name === '' || /^\d+$/.test(seed.name)) {
    throw seedError(`a seed database needs a non-numeric name (got ${String(seed.name)})`);
  }
  const db: DatabaseRecord = {
    id: claimId(data, 'database', seed.id),
    name: seed.name,
    description: seed.description ?? '',
    created: stamp,
    fields: (seed.fields ?? []).map((f) => createField(data, f)),
    collections: (seed.collections ?? []).map((c) => createCollection(data, c)),
  };
  data.databases.push(db);
  for (const profile of seed.profiles ?? []) addSeedProfile(data, db, profile, stamp);
}

/** A seed may fix an ID; the ones after it count on from the highest. */
function claimId(data: EmulatorData, kind: 'database' | 'collection', wanted: number | undefined): number {
  const id = wanted ?? data.nextId[kind];
  data.nextId[kind] = Math.max(data.nextId[kind], id + 1);
  return id;
}

function createCollection(data: EmulatorData, seed: SeedCollection) {
  const fields = (seed.fields ?? []).map((f) => createField(data, f));
  return { id: claimId(data, 'collection', seed.id), name: seed.name, fields };
}

function createField(data: EmulatorData, seed: SeedField): FieldRecord {
  const { name, type = 'text', value = '' } = typeof seed === 'string' ? { name: seed } : seed;
  return { id: data.nextId.field++, name, type, value };
}

function addSeedProfile(data: EmulatorData, db: DatabaseRecord, seed: SeedProfile, stamp: string): void {
  const values = toFieldValues(db.fields, seed.fields, `profile of ${db.name}`);
  const profile = { ...newRecord(data.nextId.profile++, stamp, db.fields, values), databaseId: db.id };
  data.profiles.push(profile);
  for (const [collectionName, rows] of Object.entries(seed.subprofiles ?? {})) {
    const collection = db.collections.find((c) => c.name === collectionName);
    if (!collection) throw seedError(`database ${db.name} has no collection ${collectionName}`);
    for (const row of rows) {
      const fields = toFieldValues(collection.fields, row, `subprofile of ${collectionName}`);
      const sub = newRecord(data.nextId.subprofile++, stamp, collection.fields, fields);
      data.subprofiles.push({ ...sub, profileId: profile.id, collectionId: collection.id });
    }
  }
}

/** The values by the fields' own names (a seed may write them in any letter case). */
function toFieldValues(fields: FieldRecord[], values: SeedValues, where: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(values ?? {})) {
    const field = fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field) throw seedError(`the seed's ${where} names an unknown field ${name}`);
    result[field.name] = value === null ? '' : String(value);
  }
  return result;
}

function seedError(message: string, options?: CopernicaSyncErrorOptions): CopernicaSyncError {
  return new CopernicaSyncError('E_EMULATOR_SEED', message, options);
}
