// Applies one import's rows to the data: the five actions, keyFields (Collection.Field too), ignoreEmptyFields,
// removeMissing and deleteTarget, as the table in copernica-api.md describes them.
import { createSecret, formatTimestamp } from './clock.js';
import {
  type ColumnTarget,
  defaultValues,
  emptyKeyPlan,
  type KeyPlan,
  keyOf,
  pushTo,
  resolveColumns,
  resolveKeys,
} from './import-columns.js';
import type { ImportRequest } from './import-request.js';
import { ImportSourceError, type ImportTable } from './import-source.js';
import type { EmulatorStore } from './store.js';
import type { DatabaseRecord, ImportStats, ProfileRecord, SubprofileRecord } from './types.js';

interface RowValues {
  profile: Record<string, string>;
  /** Collection ID -> field values, for collections the row has columns of. */
  subs: Map<number, Record<string, string>>;
}

export function applyImport(
  store: EmulatorStore,
  db: DatabaseRecord,
  request: ImportRequest,
  table: ImportTable,
): ImportStats {
  const run = new ImportRun(store, db, request, table);
  run.execute();
  return run.stats;
}

class ImportRun {
  readonly stats: ImportStats = { created: 0, updated: 0, deleted: 0, ignored: 0, removed: 0, unknownColumns: [] };
  private readonly targets: ColumnTarget[];
  private readonly keys: KeyPlan;
  private readonly stamp: string;
  private readonly profileIndex = new Map<string, ProfileRecord[]>();
  private readonly subIndex = new Map<string, SubprofileRecord[]>();
  private readonly deletedProfiles = new Set<number>();
  private readonly deletedSubs = new Set<number>();
  private readonly touchedProfiles = new Set<number>();
  private readonly touchedSubs = new Set<number>();

  constructor(
    private readonly store: EmulatorStore,
    private readonly db: DatabaseRecord,
    private readonly request: ImportRequest,
    private readonly table: ImportTable,
  ) {
    this.stamp = formatTimestamp(store.now());
    this.targets = resolveColumns(db, table.columns);
    this.stats.unknownColumns = table.columns.filter((_, i) => this.targets[i]?.kind === 'unknown');
    this.keys = request.action === 'add' ? emptyKeyPlan() : resolveKeys(db, table.columns, request.keyFields);
    if (request.action === 'delete' && request.deleteTarget === 'subprofile' && !this.keys.subCollection) {
      throw new ImportSourceError('deleteTarget subprofile needs a Collection.Field key field');
    }
    this.buildIndexes();
  }

  execute(): void {
    for (const row of this.table.rows) this.applyRow(row);
    if (this.request.removeMissing && this.request.action !== 'delete') this.removeMissing();
    const data = this.store.data;
    data.profiles = data.profiles.filter((p) => !this.deletedProfiles.has(p.id));
    data.subprofiles = data.subprofiles.filter(
      (s) => !this.deletedSubs.has(s.id) && !this.deletedProfiles.has(s.profileId),
    );
  }

  private buildIndexes(): void {
    const profileIds = new Set<number>();
    for (const profile of this.store.data.profiles) {
      if (profile.databaseId !== this.db.id) continue;
      profileIds.add(profile.id);
      pushTo(this.profileIndex, this.profileKey(profile.fields), profile);
    }
    const collection = this.keys.subCollection;
    if (!collection) return;
    for (const sub of this.store.data.subprofiles) {
      if (sub.collectionId !== collection.id || !profileIds.has(sub.profileId)) continue;
      pushTo(this.subIndex, this.subKey(sub.fields), sub);
    }
  }

  private applyRow(row: string[]): void {
    const values = this.rowValues(row);
    if (this.request.action === 'add') {
      this.createProfile(values);
      return;
    }
    if (this.keys.subCollection) this.applySubprofileRow(row, values);
    else this.applyProfileRow(row, values);
  }

  private applyProfileRow(row: string[], values: RowValues): void {
    const matched = this.liveProfiles(keyOf(row, this.keys.profileKeys));
    const action = this.request.action;
    if (action === 'delete') return this.deleteProfiles(matched);
    if (matched.length === 0) {
      if (action === 'update') this.stats.ignored++;
      else this.createProfile(values);
      return;
    }
    if (action === 'ignore or add') {
      this.stats.ignored++;
      for (const p of matched) this.touchedProfiles.add(p.id);
      return;
    }
    for (const profile of matched) {
      this.updateProfile(profile, values.profile);
      for (const [collectionId, fields] of values.subs) this.createSubprofile(profile, collectionId, fields);
    }
  }

  private applySubprofileRow(row: string[], values: RowValues): void {
    const collectionId = this.keys.subCollection?.id ?? 0;
    const owners = this.keys.profileKeys.length > 0 ? this.liveProfiles(keyOf(row, this.keys.profileKeys)) : null;
    const subs = this.liveSubs(keyOf(row, this.keys.subKeys), owners);
    const action = this.request.action;
    if (action === 'delete') return this.deleteForSubKey(subs);
    if (owners === null && action === 'ignore or add') {
      this.stats.ignored++;
      for (const s of subs) this.touchedSubs.add(s.id);
      return;
    }
    if (owners === null || (owners.length === 0 && action === 'update')) {
      this.updateSubs(subs, values, collectionId);
      return;
    }
    if (owners.length === 0) {
      this.createProfile(values);
      return;
    }
    for (const owner of owners) this.applyToOwner(owner, subs, values, collectionId);
  }

  private applyToOwner(owner: ProfileRecord, subs: SubprofileRecord[], values: RowValues, collectionId: number) {
    const own = subs.filter((s) => s.profileId === owner.id);
    const action = this.request.action;
    this.touchedProfiles.add(owner.id);
    if (action !== 'ignore or add') this.updateProfile(owner, values.profile);
    if (own.length > 0) {
      if (action === 'ignore or add') {
        this.stats.ignored++;
        for (const s of own) this.touchedSubs.add(s.id);
      } else this.updateSubs(own, values, collectionId);
      return;
    }
    if (action === 'update') this.stats.ignored++;
    else this.createSubprofile(owner, collectionId, values.subs.get(collectionId) ?? {});
  }

  private updateSubs(subs: SubprofileRecord[], values: RowValues, collectionId: number): void {
    if (subs.length === 0) this.stats.ignored++;
    for (const sub of subs) {
      this.assign(sub.fields, values.subs.get(collectionId) ?? {});
      sub.modified = this.stamp;
      this.touchedSubs.add(sub.id);
      this.stats.updated++;
    }
  }

  private deleteForSubKey(subs: SubprofileRecord[]): void {
    if (subs.length === 0) {
      this.stats.ignored++;
      return;
    }
    if (this.request.deleteTarget === 'subprofile') {
      for (const sub of subs) this.deleteSub(sub);
      return;
    }
    const owners = new Set(subs.map((s) => s.profileId));
    this.deleteProfiles(this.store.data.profiles.filter((p) => owners.has(p.id) && !this.deletedProfiles.has(p.id)));
  }

  private deleteProfiles(profiles: ProfileRecord[]): void {
    if (profiles.length === 0) this.stats.ignored++;
    for (const profile of profiles) {
      this.deletedProfiles.add(profile.id);
      this.stats.deleted++;
    }
  }

  private deleteSub(sub: SubprofileRecord): void {
    if (this.deletedSubs.has(sub.id)) return;
    this.deletedSubs.add(sub.id);
    this.stats.deleted++;
  }

  private createProfile(values: RowValues): void {
    const profile: ProfileRecord = {
      id: this.store.takeId('profile'),
      databaseId: this.db.id,
      fields: { ...defaultValues(this.db.fields), ...values.profile },
      secret: createSecret(),
      created: this.stamp,
      modified: this.stamp,
    };
    this.store.data.profiles.push(profile);
    this.touchedProfiles.add(profile.id);
    pushTo(this.profileIndex, this.profileKey(profile.fields), profile);
    this.stats.created++;
    for (const [collectionId, fields] of values.subs) this.createSubprofile(profile, collectionId, fields);
  }

  private createSubprofile(owner: ProfileRecord, collectionId: number, values: Record<string, string>): void {
    const collection = this.db.collections.find((c) => c.id === collectionId);
    if (!collection || Object.values(values).every((v) => v === '')) return;
    const sub: SubprofileRecord = {
      id: this.store.takeId('subprofile'),
      profileId: owner.id,
      collectionId,
      fields: { ...defaultValues(collection.fields), ...values },
      secret: createSecret(),
      created: this.stamp,
      modified: this.stamp,
    };
    this.store.data.subprofiles.push(sub);
    this.touchedSubs.add(sub.id);
    if (collectionId === this.keys.subCollection?.id) pushTo(this.subIndex, this.subKey(sub.fields), sub);
    this.stats.created++;
  }

  private updateProfile(profile: ProfileRecord, values: Record<string, string>): void {
    this.assign(profile.fields, values);
    profile.modified = this.stamp;
    this.touchedProfiles.add(profile.id);
    this.stats.updated++;
  }

  /** With ignoreEmptyFields an empty value keeps the stored one. */
  private assign(target: Record<string, string>, values: Record<string, string>): void {
    for (const [name, value] of Object.entries(values)) {
      if (value === '' && this.request.ignoreEmptyFields) continue;
      target[name] = value;
    }
  }

  private removeMissing(): void {
    const data = this.store.data;
    const collection = this.keys.subCollection;
    if (collection) {
      for (const sub of this.subIndexValues()) if (!this.touchedSubs.has(sub.id)) this.removeSub(sub);
      return;
    }
    for (const profile of data.profiles) {
      if (profile.databaseId !== this.db.id || this.touchedProfiles.has(profile.id)) continue;
      if (this.deletedProfiles.has(profile.id)) continue;
      this.deletedProfiles.add(profile.id);
      this.stats.removed++;
    }
  }

  private removeSub(sub: SubprofileRecord): void {
    if (this.deletedSubs.has(sub.id)) return;
    this.deletedSubs.add(sub.id);
    this.stats.removed++;
  }

  private subIndexValues(): SubprofileRecord[] {
    return [...this.subIndex.values()].flat();
  }

  private rowValues(row: string[]): RowValues {
    const values: RowValues = { profile: {}, subs: new Map() };
    this.targets.forEach((target, i) => {
      const cell = row[i] ?? '';
      if (target.kind === 'profile') values.profile[target.field.name] = cell;
      if (target.kind !== 'subprofile') return;
      const fields = values.subs.get(target.collection.id) ?? {};
      fields[target.field.name] = cell;
      values.subs.set(target.collection.id, fields);
    });
    return values;
  }

  private liveProfiles(key: string): ProfileRecord[] {
    return (this.profileIndex.get(key) ?? []).filter((p) => !this.deletedProfiles.has(p.id));
  }

  private liveSubs(key: string, owners: ProfileRecord[] | null): SubprofileRecord[] {
    const ownerIds = owners ? new Set(owners.map((o) => o.id)) : null;
    return (this.subIndex.get(key) ?? []).filter(
      (s) => !this.deletedSubs.has(s.id) && !this.deletedProfiles.has(s.profileId) && (!ownerIds || ownerIds.has(s.profileId)),
    );
  }

  private profileKey(fields: Record<string, string>): string {
    return this.fieldKey(fields, this.keys.profileKeys);
  }

  private subKey(fields: Record<string, string>): string {
    return this.fieldKey(fields, this.keys.subKeys);
  }

  /** The key of stored values, computed the same way as keyOf() for a row. */
  private fieldKey(fields: Record<string, string>, indexes: number[]): string {
    const row = indexes.map((i) => {
      const target = this.targets[i];
      return target && target.kind !== 'unknown' ? (fields[target.field.name] ?? '') : '';
    });
    return keyOf(row, row.map((_, i) => i));
  }
}
