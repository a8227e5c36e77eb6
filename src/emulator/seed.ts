// Turns a seed (YAML file or object) into the emulator's data: databases, fields, collections, profiles.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { CopernicaSyncError } from '../core/errors.js';
import { createSecret, formatTimestamp } from './clock.js';
import type {
  CollectionRecord,
  DatabaseRecord,
  EmulatorData,
  EmulatorSeed,
  FieldRecord,
  SeedDatabase,
  SeedField,
  SeedProfile,
} from './types.js';

/** examples/emulator-seed.yaml of the package (dist/src/emulator -> repo root). */
export const DEFAULT_SEED_PATH = fileURLToPath(
  new URL('../../../examples/emulator-seed.yaml', import.meta.url),
);

export function loadSeed(seed: string | EmulatorSeed | undefined, now: Date): EmulatorData {
  const raw = typeof seed === 'object' ? seed : readSeedFile(seed ?? DEFAULT_SEED_PATH);
  return createDataFromSeed(raw, now);
}

function readSeedFile(path: string): EmulatorSeed {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CopernicaSyncError('E_EMULATOR_SEED', `cannot read the emulator seed ${path}`, {
      cause: error,
    });
  }
  if (!isSeed(parsed)) {
    throw new CopernicaSyncError('E_EMULATOR_SEED', `the emulator seed ${path} has no "databases" list`, {
      hint: 'see examples/emulator-seed.yaml for the format',
    });
  }
  return parsed;
}

function isSeed(value: unknown): value is EmulatorSeed {
  return typeof value === 'object' && value !== null && Array.isArray((value as EmulatorSeed).databases);
}

export function createDataFromSeed(seed: EmulatorSeed, now: Date): EmulatorData {
  const data: EmulatorData = {
    version: 1,
    identity: {
      name: seed.identity?.name ?? 'Emulator account',
      description: seed.identity?.description ?? 'copernica-sync emulator',
      company: seed.identity?.company ?? 'Example Company',
    },
    nextId: { database: 1, field: 1, collection: 1, profile: 1, subprofile: 1, import: 1 },
    databases: [],
    profiles: [],
    subprofiles: [],
    imports: [],
  };
  for (const db of seed.databases) addSeedDatabase(data, db, formatTimestamp(now));
  return data;
}

function addSeedDatabase(data: EmulatorData, seed: SeedDatabase, stamp: string): void {
  if (typeof seed.name !== 'string' || seed.name === '' || /^\d+$/.test(seed.name)) {
    throw new CopernicaSyncError(
      'E_EMULATOR_SEED',
      `a seed database needs a non-numeric name (got ${String(seed.name)})`,
    );
  }
  const id = seed.id ?? data.nextId.database;
  data.nextId.database = Math.max(data.nextId.database, id + 1);
  const db: DatabaseRecord = {
    id,
    name: seed.name,
    description: seed.description ?? '',
    created: stamp,
    fields: (seed.fields ?? []).map((f) => createField(data, f)),
    collections: (seed.collections ?? []).map((c) => createCollection(data, c)),
  };
  data.databases.push(db);
  for (const profile of seed.profiles ?? []) addSeedProfile(data, db, profile, stamp);
}

function createCollection(data: EmulatorData, seed: { id?: number; name: string; fields?: SeedField[] }) {
  const id = seed.id ?? data.nextId.collection;
  data.nextId.collection = Math.max(data.nextId.collection, id + 1);
  const collection: CollectionRecord = {
    id,
    name: seed.name,
    fields: (seed.fields ?? []).map((f) => createField(data, f)),
  };
  return collection;
}

function createField(data: EmulatorData, seed: SeedField): FieldRecord {
  const spec = typeof seed === 'string' ? { name: seed } : seed;
  const field: FieldRecord = {
    id: data.nextId.field++,
    name: spec.name,
    type: spec.type ?? 'text',
    value: spec.value ?? '',
  };
  return field;
}

function addSeedProfile(data: EmulatorData, db: DatabaseRecord, seed: SeedProfile, stamp: string): void {
  const profileId = data.nextId.profile++;
  data.profiles.push({
    id: profileId,
    databaseId: db.id,
    fields: toFieldValues(db.fields, seed.fields, `profile of ${db.name}`),
    secret: createSecret(),
    created: stamp,
    modified: stamp,
  });
  for (const [collectionName, rows] of Object.entries(seed.subprofiles ?? {})) {
    const collection = db.collections.find((c) => c.name === collectionName);
    if (!collection) {
      throw new CopernicaSyncError(
        'E_EMULATOR_SEED',
        `database ${db.name} has no collection ${collectionName}`,
      );
    }
    for (const row of rows) {
      data.subprofiles.push({
        id: data.nextId.subprofile++,
        profileId,
        collectionId: collection.id,
        fields: toFieldValues(collection.fields, row, `subprofile of ${collectionName}`),
        secret: createSecret(),
        created: stamp,
        modified: stamp,
      });
    }
  }
}

function toFieldValues(
  fields: FieldRecord[],
  values: Record<string, string | number | boolean | null>,
  where: string,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const field of fields) result[field.name] = field.value;
  for (const [name, value] of Object.entries(values ?? {})) {
    const field = fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field)
      throw new CopernicaSyncError('E_EMULATOR_SEED', `the seed's ${where} names an unknown field ${name}`);
    result[field.name] = value === null ? '' : String(value);
  }
  return result;
}
