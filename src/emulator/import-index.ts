// Finds a database's (sub)profiles by key during one import, and remembers which ones it deleted.
import { type ColumnTarget, type KeyPlan, keyOf, pushTo } from './import-columns.js';
import type { EmulatorData, ProfileRecord, SubprofileRecord } from './types.js';

export class ImportIndex {
  private readonly profiles = new Map<string, ProfileRecord[]>();
  private readonly subs = new Map<string, SubprofileRecord[]>();
  private readonly deletedProfiles = new Set<number>();
  private readonly deletedSubs = new Set<number>();

  constructor(
    data: EmulatorData,
    databaseId: number,
    private readonly keys: KeyPlan,
    private readonly targets: ColumnTarget[],
  ) {
    const profileIds = new Set<number>();
    for (const profile of data.profiles) {
      if (profile.databaseId !== databaseId) continue;
      profileIds.add(profile.id);
      this.addProfile(profile);
    }
    for (const sub of data.subprofiles) {
      if (profileIds.has(sub.profileId)) this.addSub(sub);
    }
  }

  addProfile(profile: ProfileRecord): void {
    pushTo(this.profiles, this.keyOfFields(profile.fields, this.keys.profileKeys), profile);
  }

  /** Only subprofiles of the key collection are indexed. */
  addSub(sub: SubprofileRecord): void {
    if (sub.collectionId !== this.keys.subCollection?.id) return;
    pushTo(this.subs, this.keyOfFields(sub.fields, this.keys.subKeys), sub);
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
    if (this.deletedProfiles.has(id)) return false;
    this.deletedProfiles.add(id);
    return true;
  }

  deleteSub(id: number): boolean {
    if (this.deletedSubs.has(id)) return false;
    this.deletedSubs.add(id);
    return true;
  }

  /** Removes what this import deleted (a profile's subprofiles go with it). */
  sweep(data: EmulatorData): void {
    data.profiles = data.profiles.filter((p) => !this.deletedProfiles.has(p.id));
    data.subprofiles = data.subprofiles.filter(
      (s) => !this.deletedSubs.has(s.id) && !this.deletedProfiles.has(s.profileId),
    );
  }

  private isLiveSub(sub: SubprofileRecord): boolean {
    return !this.deletedSubs.has(sub.id) && !this.deletedProfiles.has(sub.profileId);
  }

  /** The key of stored values, computed the same way as keyOf() for a row. */
  private keyOfFields(fields: Record<string, string>, indexes: number[]): string {
    const values = indexes.map((i) => {
      const target = this.targets[i];
      return target && target.kind !== 'unknown' ? (fields[target.field.name] ?? '') : '';
    });
    return keyOf(
      values,
      values.map((_, i) => i),
    );
  }
}
