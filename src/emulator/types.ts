// The emulator's data model (what --data persists) and the seed file's shape (what a seed YAML declares).

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

export interface ProfileRecord {
  id: number;
  databaseId: number;
  /** Keyed by the field's canonical name. */
  fields: Record<string, string>;
  secret: string;
  created: string;
  modified: string;
}

export interface SubprofileRecord {
  id: number;
  profileId: number;
  collectionId: number;
  fields: Record<string, string>;
  secret: string;
  created: string;
  modified: string;
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

/** A field in a seed: a bare name (type text) or an object. */
export type SeedField = string | { name: string; type?: string; value?: string };

export interface SeedProfile {
  fields: Record<string, string | number | boolean | null>;
  /** Collection name -> the subprofiles' field values. */
  subprofiles?: Record<string, Array<Record<string, string | number | boolean | null>>>;
}

export interface SeedDatabase {
  id?: number;
  name: string;
  description?: string;
  fields?: SeedField[];
  collections?: Array<{ id?: number; name: string; fields?: SeedField[] }>;
  profiles?: SeedProfile[];
}

export interface EmulatorSeed {
  identity?: { name?: string; description?: string; company?: string };
  databases: SeedDatabase[];
}
