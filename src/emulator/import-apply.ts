// Applies one import's rows to the data: the five actions, keyFields (Collection.Field too), ignoreEmptyFields,
// removeMissing and deleteTarget, as the table in copernica-api.md describes them.
import { createSecret, formatTimestamp } from './clock.js';
import {
  type ColumnTarget,
  defaultValues,
  emptyKeyPlan,
  type KeyPlan,
  keyOf,
  resolveColumns,
  resolveKeys,
} from './import-columns.js';
import { ImportIndex } from './import-index.js';
import type { ImportRequest } from './import-request.js';
import { ImportSourceError, type ImportTable } from './import-source.js';
import type { EmulatorStore } from './store.js';
import type { DatabaseRecord, ImportStats, ProfileRecord, SubprofileRecord } from './types.js';

interface RowValues {
  profile: Record<string, string>;
  /** Collection ID -> field values, for collections the row has columns of. */
  subs: Map<number, Record<string, string>>;
}

/** Throws ImportSourceError (before changing anything) when the keys do not fit the data. */
export function applyImport(
  store: EmulatorStore,
  db: DatabaseRecord,
  request: ImportRequest,
  table: ImportTable,
): ImportStats {
  const run = new ImportRun(store, db, request, table);
  for (const row of table.rows) run.applyRow(row);
  if (request.removeMissing && request.action !== 'delete') run.removeMissing();
  run.index.sweep(store.data);
  return run.stats;
}

class ImportRun {
  readonly stats: ImportStats = {
    created: 0,
    updated: 0,
    deleted: 0,
    ignored: 0,
    removed: 0,
    unknownColumns: [],
  };
  readonly index: ImportIndex;
  private readonly targets: ColumnTarget[];
  private readonly keys: KeyPlan;
  private readonly stamp: string;
  private readonly touchedProfiles = new Set<number>();
  private readonly touchedSubs = new Set<number>();

  constructor(
    private readonly store: EmulatorStore,
    private readonly db: DatabaseRecord,
    private readonly request: ImportRequest,
    table: ImportTable,
  ) {
    this.stamp = formatTimestamp(store.now());
    this.targets = resolveColumns(db, table.columns);
    this.stats.unknownColumns = table.columns.filter((_, i) => this.targets[i]?.kind === 'unknown');
    this.keys = request.action === 'add' ? emptyKeyPlan() : resolveKeys(db, table.columns, request.keyFields);
    if (request.action === 'delete' && request.deleteTarget === 'subprofile' && !this.keys.subCollection) {
      throw new ImportSourceError('deleteTarget subprofile needs a Collection.Field key field');
    }
    this.index = new ImportIndex(store.data, db.id, this.keys, this.targets);
  }

  applyRow(row: string[]): void {
    const values = this.rowValues(row);
    if (this.request.action === 'add') this.createProfile(values);
    else if (this.keys.subCollection) this.applySubprofileRow(row, values, this.keys.subCollection.id);
    else this.applyProfileRow(row, values);
  }

  /** removeMissing: every profile (or, with a subprofile key, subprofile) the data did not name is deleted. */
  removeMissing(): void {
    const stale = this.keys.subCollection
      ? this.index.liveSubs().filter((s) => !this.touchedSubs.has(s.id) && this.index.deleteSub(s.id))
      : this.index
          .liveProfiles()
          .filter((p) => !this.touchedProfiles.has(p.id) && this.index.deleteProfile(p.id));
    this.stats.removed += stale.length;
  }

  private applyProfileRow(row: string[], values: RowValues): void {
    const matched = this.index.findProfiles(keyOf(row, this.keys.profileKeys));
    const action = this.request.action;
    if (action === 'delete') this.deleteProfiles(matched);
    else if (matched.length === 0 && action === 'update') this.stats.ignored++;
    else if (matched.length === 0) this.createProfile(values);
    else if (action === 'ignore or add') this.ignore(matched, []);
    else {
      for (const profile of matched) {
        this.updateProfile(profile, values.profile);
        for (const [collectionId, fields] of values.subs)
          this.createSubprofile(profile, collectionId, fields);
      }
    }
  }

  private applySubprofileRow(row: string[], values: RowValues, collectionId: number): void {
    const owners =
      this.keys.profileKeys.length > 0 ? this.index.findProfiles(keyOf(row, this.keys.profileKeys)) : null;
    const subs = this.index.findSubs(keyOf(row, this.keys.subKeys), owners);
    const action = this.request.action;
    if (action === 'delete') this.deleteForSubKey(subs);
    else if (owners === null && action === 'ignore or add') this.ignore([], subs);
    else if (owners === null || (owners.length === 0 && action === 'update'))
      this.updateSubs(subs, values, collectionId);
    else if (owners.length === 0) this.createProfile(values);
    else for (const owner of owners) this.applyToOwner(owner, subs, values, collectionId);
  }

  private applyToOwner(
    owner: ProfileRecord,
    subs: SubprofileRecord[],
    values: RowValues,
    collectionId: number,
  ) {
    const own = subs.filter((s) => s.profileId === owner.id);
    const action = this.request.action;
    if (action === 'ignore or add') this.touchedProfiles.add(owner.id);
    else this.updateProfile(owner, values.profile);
    if (own.length > 0 && action === 'ignore or add') this.ignore([], own);
    else if (own.length > 0) this.updateSubs(own, values, collectionId);
    else if (action === 'update') this.stats.ignored++;
    else this.createSubprofile(owner, collectionId, values.subs.get(collectionId) ?? {});
  }

  private ignore(profiles: ProfileRecord[], subs: SubprofileRecord[]): void {
    this.stats.ignored++;
    for (const p of profiles) this.touchedProfiles.add(p.id);
    for (const s of subs) this.touchedSubs.add(s.id);
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
    if (this.request.deleteTarget === 'subprofile') {
      if (subs.length === 0) this.stats.ignored++;
      for (const sub of subs) if (this.index.deleteSub(sub.id)) this.stats.deleted++;
      return;
    }
    const owners = new Set(subs.map((s) => s.profileId));
    this.deleteProfiles(this.index.liveProfiles().filter((p) => owners.has(p.id)));
  }

  private deleteProfiles(profiles: ProfileRecord[]): void {
    if (profiles.length === 0) this.stats.ignored++;
    for (const profile of profiles) if (this.index.deleteProfile(profile.id)) this.stats.deleted++;
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
    this.index.addProfile(profile);
    this.touchedProfiles.add(profile.id);
    this.stats.created++;
    for (const [collectionId, fields] of values.subs) this.createSubprofile(profile, collectionId, fields);
  }

  /** A row whose subprofile columns are all empty creates no subprofile. */
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
    this.index.addSub(sub);
    this.touchedSubs.add(sub.id);
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
}
