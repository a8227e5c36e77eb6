// The emulator's data model: what --data persists. (The seed's shape is in seed.ts.)

export interface FieldRecord {
  id: number;
  name: string;
  type: string;
  /** Default value for new (sub)profiles. */
  value: string;
}

export interface CollectionRecord {
  id: number;
  name: string;
  fields: FieldRecord[];
}

export interface DatabaseRecord {
  id: number;
  name: string;
  description: string;
  created: string;
  fields: FieldRecord[];
  collections: CollectionRecord[];
}

/** What a profile and a subprofile both have. */
export interface StoredRecord {
  id: number;
  /** Keyed by the field's canonical name. */
  fields: Record<string, string>;
  secret: string;
  created: string;
  modified: string;
}

export interface ProfileRecord extends StoredRecord {
  databaseId: number;
}

export interface SubprofileRecord extends StoredRecord {
  profileId: number;
  collectionId: number;
}

export interface ImportStats {
  created: number;
  updated: number;
  deleted: number;
  ignored: number;
  /** Deleted by removeMissing. */
  removed: number;
  /** Columns that name no field, ignored. */
  unknownColumns: string[];
}

export interface ImportRecord {
  id: number;
  name: string;
  databaseId: number;
  action: string;
  status: string;
  totallines: number;
  processedlines: number;
  lastrun: string | false;
  lasterror: string | false;
  created: string;
  stats?: ImportStats;
}

export interface EmulatorData {
  version: 1;
  identity: { name: string; description: string; company: string };
  nextId: Record<'database' | 'field' | 'collection' | 'profile' | 'subprofile' | 'import', number>;
  databases: DatabaseRecord[];
  profiles: ProfileRecord[];
  subprofiles: SubprofileRecord[];
  imports: ImportRecord[];
}

export type { EmulatorSeed } from './seed.js';
