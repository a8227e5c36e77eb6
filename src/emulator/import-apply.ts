// Applies one import's rows to the data: the five actions, keyFields (Collection.Field too), ignoreEmptyFields,
// removeMissing and deleteTarget, as the table in copernica-api.md describes them.
import { type ColumnTarget, type KeyPlan, keyOf, resolveColumn, resolveKeys } from './import-columns.js';
import { ImportIndex } from './import-index.js';
import type { ImportRequest } from './import-request.js';
import { ImportSourceError } from './import-source.js';
import { formatTimestamp, newRecord } from './records.js';
import type { EmulatorStore } from './store.js';
import type {
  CollectionRecord,
  DatabaseRecord,
  ImportStats,
  ProfileRecord,
  StoredRecord,
  SubprofileRecord,
} from './types.js';

interface RowValues {
  profile: Record<string, string>;
  /** Field values per collection the row has columns of. */
  subs: Map<CollectionRecord, Record<string, string>>;
}

/** One import's run: the constructor throws ImportSourceError (before changing anything) on unfit keys. */
export class ImportRun {
  private readonly stats: ImportStats;
  private readonly index: ImportIndex;
  private readonly targets: Array<ColumnTarget | undefined>;
  private readonly keys: KeyPlan;
  private readonly stamp: string;
  private readonly touchedProfiles = new Set<number>();
  private readonly touchedSubs = new Set<number>();

  constructor(
    private readonly store: EmulatorStore,
    private readonly db: DatabaseRecord,
    private readonly request: ImportRequest,
    columns: string[],
  ) {
    this.stamp = formatTimestamp(store.now());
    this.targets = columns.map((column) => resolveColumn(db, column));
    const unknownColumns = columns.filter((_, i) => this.targets[i] === undefined);
    this.stats = { created: 0, updated: 0, deleted: 0, ignored: 0, removed: 0, unknownColumns };
    this.keys = resolveKeys(db, columns, request.action === 'add' ? [] : request.keyFields);
    if (request.action === 'delete' && request.deleteTarget === 'subprofile' && !this.keys.subCollection) {
      throw new ImportSourceError('deleteTarget subprofile needs a Collection.Field key field');
    }
    this.index = new ImportIndex(store.data, db.id, this.keys, this.targets);
  }

  apply(rows: string[][]): ImportStats {
    for (const row of rows) this.applyRow(row);
    if (this.request.removeMissing && this.request.action !== 'delete') this.removeMissing();
    this.index.sweep(this.store.data);
    return this.stats;
  }

  private applyRow(row: string[]): void {
    const values = this.rowValues(row);
    if (this.request.action === 'add') this.createProfile(values);
    else if (this.keys.subCollection) this.applySubprofileRow(row, values, this.keys.subCollection);
    else this.applyProfileRow(row, values);
  }

  /** removeMissing: every profile (or, with a subprofile key, subprofile) the data did not name is deleted. */
  private removeMissing(): void {
    const { index, touchedProfiles, touchedSubs } = this;
    const stale = this.keys.subCollection
      ? index.liveSubs().filter((s) => !touchedSubs.has(s.id) && index.deleteSub(s.id))
      : index.liveProfiles().filter((p) => !touchedProfiles.has(p.id) && index.deleteProfile(p.id));
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
        this.update(profile, values.profile, this.touchedProfiles);
        for (const [collection, fields] of values.subs) this.createSubprofile(profile, collection, fields);
      }
    }
  }

  private applySubprofileRow(row: string[], values: RowValues, collection: CollectionRecord): void {
    const { profileKeys, subKeys } = this.keys;
    const owners = profileKeys.length > 0 ? this.index.findProfiles(keyOf(row, profileKeys)) : null;
    const subs = this.index.findSubs(keyOf(row, subKeys), owners);
    const action = this.request.action;
    if (action === 'delete') this.deleteForSubKey(subs);
    else if (owners === null && action === 'ignore or add') this.ignore([], subs);
    else if (owners === null || (owners.length === 0 && action === 'update'))
      this.updateSubs(subs, values.subs.get(collection));
    else if (owners.length === 0) this.createProfile(values);
    else for (const owner of owners) this.applyToOwner(owner, subs, values, collection);
  }

  private applyToOwner(
    owner: ProfileRecord,
    subs: SubprofileRecord[],
    values: RowValues,
    collection: CollectionRecord,
  ) {
    const own = subs.filter((s) => s.profileId === owner.id);
    const action = this.request.action;
    if (action === 'ignore or add') this.touchedProfiles.add(owner.id);
    else this.update(owner, values.profile, this.touchedProfiles);
    if (own.length > 0 && action === 'ignore or add') this.ignore([], own);
    else if (own.length > 0) this.updateSubs(own, values.subs.get(collection));
    else if (action === 'update') this.stats.ignored++;
    else this.createSubprofile(owner, collection, values.subs.get(collection) ?? {});
  }

  private ignore(profiles: ProfileRecord[], subs: SubprofileRecord[]): void {
    this.stats.ignored++;
    for (const p of profiles) this.touchedProfiles.add(p.id);
    for (const s of subs) this.touchedSubs.add(s.id);
  }

  private updateSubs(subs: SubprofileRecord[], values: Record<string, string> = {}): void {
    if (subs.length === 0) this.stats.ignored++;
    for (const sub of subs) this.update(sub, values, this.touchedSubs);
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
    const record = newRecord(this.store.takeId('profile'), this.stamp, this.db.fields, values.profile);
    const profile = { ...record, databaseId: this.db.id };
    this.store.data.profiles.push(profile);
    this.index.addProfile(profile);
    this.touchedProfiles.add(profile.id);
    this.stats.created++;
    for (const [collection, fields] of values.subs) this.createSubprofile(profile, collection, fields);
  }

  /** A row whose subprofile columns are all empty creates no subprofile. */
  private createSubprofile(
    owner: ProfileRecord,
    collection: CollectionRecord,
    values: Record<string, string>,
  ) {
    if (Object.values(values).every((v) => v === '')) return;
    const record = newRecord(this.store.takeId('subprofile'), this.stamp, collection.fields, values);
    const sub = { ...record, profileId: owner.id, collectionId: collection.id };
    this.store.data.subprofiles.push(sub);
    this.index.addSub(sub);
    this.touchedSubs.add(sub.id);
    this.stats.created++;
  }

  /** With ignoreEmptyFields an empty value keeps the stored one. */
  private update(record: StoredRecord, values: Record<string, string>, touched: Set<number>): void {
    for (const [name, value] of Object.entries(values)) {
      if (value !== '' || !this.request.ignoreEmptyFields) record.fields[name] = value;
    }
    record.modified = this.stamp;
    touched.add(record.id);
    this.stats.updated++;
  }

  private rowValues(row: string[]): RowValues {
    const values: RowValues = { profile: {}, subs: new Map() };
    this.targets.forEach((target, i) => {
      const cell = row[i] ?? '';
      if (target?.kind === 'profile') values.profile[target.field.name] = cell;
      if (target?.kind !== 'subprofile') return;
      const fields = values.subs.get(target.collection) ?? {};
      fields[target.field.name] = cell;
      values.subs.set(target.collection, fields);
    });
    return values;
  }
}
