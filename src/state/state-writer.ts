// Serializes state saves: concurrent updates compose in memory, writes never interleave, none is lost.
import { saveState } from './state-store.js';
import type { StateFile } from './types.js';

export interface StateWriter {
  /** The latest state, every update applied. */
  readonly current: StateFile;
  /** Applies `change` to the latest state now, then resolves once a write that includes it has finished. */
  update(change: (state: StateFile) => StateFile): Promise<void>;
  /** Replaces the whole state, then writes as `update` does. */
  save(state: StateFile): Promise<void>;
  /** Resolves when every requested write has finished (rejections are the callers' to see). */
  flush(): Promise<void>;
}

export function createStateWriter(path: string, initial: StateFile): StateWriter {
  let current = initial;
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  // One write may be in flight and one queued; the queued one snapshots the state when it starts.
  const persist = (): Promise<void> => {
    if (queued) return queued;
    const next = tail.then(() => {
      queued = undefined;
      return saveState(path, current);
    });
    queued = next;
    tail = next.catch(() => undefined);
    return next;
  };
  return {
    get current() {
      return current;
    },
    update(change) {
      current = change(current);
      return persist();
    },
    save(state) {
      current = state;
      return persist();
    },
    flush: () => tail,
  };
}
