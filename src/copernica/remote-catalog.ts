// Cached lookups of a database's fields, collections and size, so N imports on one database cost one call each.
import type { CopernicaClient, RemoteCollection, RemoteField } from './types.js';

export interface RemoteCatalog {
  /** Why `name` (a field or `Collection.Field`) is not in the database, or undefined when it is. */
  explainUnknown(databaseId: number, name: string): Promise<string | undefined>;
  liveCount(databaseId: number): Promise<number>;
}

export function createRemoteCatalog(client: CopernicaClient): RemoteCatalog {
  const memo = new Map<string, Promise<unknown>>();
  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    let hit = memo.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      memo.set(key, hit);
    }
    return hit;
  }
  const fieldNames = (id: number): Promise<Set<string>> =>
    cached(`fields:${id}`, async () => namesOf(await client.getDatabaseFields(id)));
  const collections = (id: number): Promise<RemoteCollection[]> =>
    cached(`collections:${id}`, () => client.getCollections(id));
  const collectionFieldNames = (collectionId: string): Promise<Set<string>> =>
    cached(`collection-fields:${collectionId}`, async () =>
      namesOf(await client.getCollectionFields(collectionId)),
    );

  return {
    async explainUnknown(databaseId, name) {
      const dot = name.indexOf('.');
      if (dot < 0)
        return (await fieldNames(databaseId)).has(name) ? undefined : 'no such field in the database';
      const collectionName = name.slice(0, dot);
      const fieldName = name.slice(dot + 1);
      const collection = (await collections(databaseId)).find((c) => c.name === collectionName);
      if (!collection) return `no collection "${collectionName}" in the database`;
      const fields = await collectionFieldNames(String(collection.ID));
      return fields.has(fieldName) ? undefined : `no field "${fieldName}" in collection "${collectionName}"`;
    },
    liveCount: (id) => cached(`count:${id}`, () => client.countProfiles(id)),
  };
}

function namesOf(fields: RemoteField[]): Set<string> {
  return new Set(fields.map((f) => f.name));
}
