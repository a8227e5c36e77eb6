// Finds a database's (sub)profiles by key during one import, and remembers which ones it deleted.
import { type ColumnTarget, type KeyPlan, keyOf } from './import-columns.js';
import type { EmulatorData, ProfileRecord, StoredRecord, SubprofileRecord } from './types.js';

export class ImportIndex {
  private readonly profiles = new Map<string, ProfileRecord[]>();
  private readonly subs = new Map<string, SubprofileRecord[]>();
  private readonly deletedProfiles = new Set<number>();
  private readonly deletedSubs = new Set<number>();

  constructor(
    data: EmulatorData,
    databaseId: number,
    private readonly keys: KeyPlan,
    private readonly targets: Array<ColumnTarget | undefined>,
  ) {
    const profiles = data.profiles.filter((p) => p.databaseId === databaseId);
    for (const profile of profiles) this.addProfile(profile);
    const profileIds = new Set(profiles.map((p) => p.id));
    for (const sub of data.subprofiles) if (profileIds.has(sub.profileId)) this.addSub(sub);
  }

  addProfile(profile: ProfileRecord): void {
    this.add(this.profiles, profile, this.keys.profileKeys);
  }

  /** Only subprofiles of the key collection are indexed. */
  addSub(sub: SubprofileRecord): void {
    if (sub.collectionId === this.keys.subCollection?.id) this.add(this.subs, sub, this.keys.subKeys);
  }

  findProfiles(key: string): ProfileRecord[] {
    return (this.profiles.get(key) ?? []).filter((p) => !this.deletedProfiles.has(p.id));
  }

  /** Subprofiles with this key, of these owners (any owner when null). */
  findSubs(key: string, owners: ProfileRecord[] | null): SubprofileRecord[] {
    const ownerIds = owners ? new Set(owners.map((o) => o.id)) : null;
    return (this.subs.get(key) ?? []).filter(
      (s) => this.isLiveSub(s) && (!ownerIds || ownerIds.has(s.profileId)),
    );
  }

  liveProfiles(): ProfileRecord[] {
    return [...this.profiles.values()].flat().filter((p) => !this.deletedProfiles.has(p.id));
  }

  liveSubs(): SubprofileRecord[] {
    return [...this.subs.values()].flat().filter((s) => this.isLiveSub(s));
  }

  /** False when it was already deleted. */
  deleteProfile(id: number): boolean {
    return addNew(this.deletedProfiles, id);
  }

  deleteSub(id: number): boolean {
    return addNew(this.deletedSubs, id);
  }

  /** Removes what this import deleted (a profile's subprofiles go with it). */
  sweep(data: EmulatorData): void {
    data.profiles = data.profiles.filter((p) => !this.deletedProfiles.has(p.id));
    data.subprofiles = data.subprofiles.filter((s) => this.isLiveSub(s));
  }

  private isLiveSub(sub: SubprofileRecord): boolean {
    return !this.deletedSubs.has(sub.id) && !this.deletedProfiles.has(sub.profileId);
  }

  /** The stored values go where their columns are in a row, so that keyOf() reads records and rows alike. */
  private add<T extends StoredRecord>(map: Map<string, T[]>, record: T, indexes: number[]): void {
    const row: string[] = [];
    for (const i of indexes) {
      const target = this.targets[i];
      if (target) row[i] = record.fields[target.field.name] ?? '';
    }
    const key = keyOf(row, indexes);
    const list = map.get(key);
    if (list) list.push(record);
    else map.set(key, [record]);
  }
}

function addNew(set: Set<number>, id: number): boolean {
  if (set.has(id)) return false;
  set.add(id);
  return true;
}
