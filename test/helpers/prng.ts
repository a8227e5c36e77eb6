// A seeded PRNG (mulberry32) and the pickers the fuzzers use: the same seed gives the same cases on every machine.

export interface Rng {
  /** [0, 1) */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(list: readonly T[]): T => list[int(list.length)] as T,
    chance: (p) => next() < p,
  };
}

/** Runs `body(caseIndex)` until `maxCases` or `budgetMs` is reached; returns how many ran. */
export function runWithinBudget(maxCases: number, budgetMs: number, body: (index: number) => void): number {
  const stop = Date.now() + budgetMs;
  let index = 0;
  while (index < maxCases && Date.now() < stop) body(index++);
  return index;
}

/** The async twin of runWithinBudget. */
export async function runWithinBudgetAsync(
  maxCases: number,
  budgetMs: number,
  body: (index: number) => Promise<void>,
): Promise<number> {
  const stop = Date.now() + budgetMs;
  let index = 0;
  while (index < maxCases && Date.now() < stop) await body(index++);
  return index;
}
