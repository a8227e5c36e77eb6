// Cached lookups of a database's fields, collections and size, so N imports on one database cost one call each.
import type { CopernicaClient, RemoteItem } from './types.js';

/** A name looked up in Copernica: found (with Copernica's own spelling), or why not. */
export type NameLookup = { found: true; name: string } | { found: false; reason: string };

export type RemoteCatalog = ReturnType<typeof createRemoteCatalog>;

export function createRemoteCatalog(client: CopernicaClient) {
  const memo = new Map<string, Promise<unknown>>();
  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!memo.has(key)) memo.set(key, load());
    return memo.get(key) as Promise<T>;
  }
  const namesOf = async (items: Promise<RemoteItem[]>): Promise<string[]> => (await items).map((i) => i.name);

  return {
    /**
     * Finds `name` (a field or `Collection.Field`) in the database. Copernica matches names without regard
     * to letter case, so a name that differs only in case is found, spelled as Copernica spells it.
     */
    async findField(databaseId: number, name: string): Promise<NameLookup> {
      const dot = name.indexOf('.');
      if (dot < 0) {
        const fields = await cached(`fields:${databaseId}`, () =>
          namesOf(client.getDatabaseFields(databaseId)),
        );
        return lookup(matchName(fields, name), 'no such field in the database');
      }
      const collectionName = name.slice(0, dot);
      const fieldName = name.slice(dot + 1);
      const collections = await cached(`collections:${databaseId}`, () => client.getCollections(databaseId));
      const collection = findNamed(collections, collectionName);
      if (!collection) return { found: false, reason: `no collection "${collectionName}" in the database` };
      const fields = await cached(`collection-fields:${collection.ID}`, () =>
        namesOf(client.getCollectionFields(collection.ID)),
      );
      const field = matchName(fields, fieldName);
      const reason = `no field "${fieldName}" in collection "${collection.name}"`;
      return lookup(field === undefined ? undefined : `${collection.name}.${field}`, reason);
    },
    liveCount: (id: number): Promise<number> => cached(`count:${id}`, () => client.countProfiles(id)),
  };
}

/** The exact name if it is there, else the first that differs only in letter case. */
export function matchName(names: readonly string[], wanted: string): string | undefined {
  if (names.includes(wanted)) return wanted;
  const lower = wanted.toLowerCase();
  return names.find((name) => name.toLowerCase() === lower);
}

/** The item named `wanted`, by matchName's rule. */
export function findNamed<T extends { name: string }>(items: readonly T[], wanted: string): T | undefined {
  const name = matchName(
    items.map((item) => item.name),
    wanted,
  );
  return items.find((item) => item.name === name);
}

function lookup(name: string | undefined, reason: string): NameLookup {
  return name === undefined ? { found: false, reason } : { found: true, name };
}
