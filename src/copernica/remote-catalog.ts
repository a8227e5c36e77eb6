// Cached lookups of a database's fields, collections and size, so N imports on one database cost one call each.
import type { CopernicaClient, RemoteCollection, RemoteField } from './types.js';

/** A name looked up in Copernica: found (with Copernica's own spelling), or why not. */
export type NameLookup = { found: true; name: string } | { found: false; reason: string };

export interface RemoteCatalog {
  /**
   * Finds `name` (a field or `Collection.Field`) in the database. Copernica matches names without regard
   * to letter case, so a name that differs only in case is found, spelled as Copernica spells it.
   */
  findField(databaseId: number, name: string): Promise<NameLookup>;
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
  const fieldNames = (id: number): Promise<string[]> =>
    cached(`fields:${id}`, async () => namesOf(await client.getDatabaseFields(id)));
  const collections = (id: number): Promise<RemoteCollection[]> =>
    cached(`collections:${id}`, () => client.getCollections(id));
  const collectionFieldNames = (collectionId: string): Promise<string[]> =>
    cached(`collection-fields:${collectionId}`, async () =>
      namesOf(await client.getCollectionFields(collectionId)),
    );

  return {
    async findField(databaseId, name) {
      const dot = name.indexOf('.');
      if (dot < 0) {
        const field = matchName(await fieldNames(databaseId), name);
        return field === undefined
          ? { found: false, reason: 'no such field in the database' }
          : { found: true, name: field };
      }
      const collectionName = name.slice(0, dot);
      const fieldName = name.slice(dot + 1);
      const all = await collections(databaseId);
      const spelled = matchName(
        all.map((c) => c.name),
        collectionName,
      );
      const collection = all.find((c) => c.name === spelled);
      if (!collection) return { found: false, reason: `no collection "${collectionName}" in the database` };
      const field = matchName(await collectionFieldNames(String(collection.ID)), fieldName);
      return field === undefined
        ? { found: false, reason: `no field "${fieldName}" in collection "${collection.name}"` }
        : { found: true, name: `${collection.name}.${field}` };
    },
    liveCount: (id) => cached(`count:${id}`, () => client.countProfiles(id)),
  };
}

/** The exact name if it is there, else the first that differs only in letter case. */
export function matchName(names: readonly string[], wanted: string): string | undefined {
  if (names.includes(wanted)) return wanted;
  const lower = wanted.toLowerCase();
  return names.find((name) => name.toLowerCase() === lower);
}

function namesOf(items: Array<RemoteField | RemoteCollection>): string[] {
  return items.map((item) => item.name);
}
