// "1 row", "2 rows": counts in messages read as English.

export function countOf(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
