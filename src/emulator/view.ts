// Read access to the emulator's data for tests and the demo's before/after table.
import type { EmulatorStore } from './store.js';
import type { ImportRecord } from './types.js';

export interface EmulatorProfile {
  id: number;
  fields: Record<string, string>;
  /** Collection name -> the profile's subprofiles in it. */
  subprofiles: Record<string, Array<{ id: number; fields: Record<string, string> }>>;
}

export interface DatabaseSummary {
  id: number;
  /** The database's name. */
  database: string;
  profiles: number;
  subprofiles: number;
  /** Collection name -> subprofile count. */
  collections: Record<string, number>;
}

export interface EmulatorDataView {
  /** Profiles of a database (by ID or name), in ID order, with their subprofiles; [] for an unknown one. */
  listProfiles(database: number | string): EmulatorProfile[];
  /** Profile and subprofile counts per database. */
  summarize(): DatabaseSummary[];
  /** Every import created so far, with what it did (`stats`) once finished. */
  listImports(): ImportRecord[];
}

export function createDataView(store: EmulatorStore): EmulatorDataView {
  return {
    listProfiles: (database) => listProfiles(store, String(database)),
    summarize: () => summarize(store),
    listImports: () => structuredClone(store.data.imports),
  };
}

function listProfiles(store: EmulatorStore, database: string): EmulatorProfile[] {
  const db = store.findDatabase(database);
  if (!db) return [];
  const byProfile = new Map<number, EmulatorProfile['subprofiles']>();
  for (const sub of store.data.subprofiles) {
    const name = db.collections.find((c) => c.id === sub.collectionId)?.name;
    if (name === undefined) continue;
    const groups = byProfile.get(sub.profileId) ?? {};
    groups[name] = [...(groups[name] ?? []), { id: sub.id, fields: { ...sub.fields } }];
    byProfile.set(sub.profileId, groups);
  }
  return store.data.profiles
    .filter((p) => p.databaseId === db.id)
    .sort((a, b) => a.id - b.id)
    .map((p) => ({ id: p.id, fields: { ...p.fields }, subprofiles: byProfile.get(p.id) ?? {} }));
}

function summarize(store: EmulatorStore): DatabaseSummary[] {
  return store.data.databases.map((db) => {
    const profileIds = new Set(store.data.profiles.filter((p) => p.databaseId === db.id).map((p) => p.id));
    const subs = store.data.subprofiles.filter((s) => profileIds.has(s.profileId));
    const count = (collectionId: number) => subs.filter((s) => s.collectionId === collectionId).length;
    const collections = Object.fromEntries(db.collections.map((c) => [c.name, count(c.id)]));
    return { id: db.id, database: db.name, profiles: profileIds.size, subprofiles: subs.length, collections };
  });
}
