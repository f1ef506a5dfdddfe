/**
 * A bounded memo for pure functions of short strings. A province's rows repeat the same names,
 * places and dates many thousand times; deciding each distinct value once is what makes the
 * split's per-cell rules affordable. Memory is bounded: past `maxEntries` the memo starts over.
 */
export function memoizeShortStrings<T>(fn: (s: string) => T, maxLength = 100, maxEntries = 100_000): (s: string) => T {
  const memo = new Map<string, T>();
  return (s) => {
    if (s.length > maxLength) return fn(s);
    const known = memo.get(s);
    if (known !== undefined || memo.has(s)) return known as T;
    // The kept key, and any result that refers to its input, hold a copy, not the caller's text.
    const key = detached(s);
    const value = fn(key);
    if (memo.size >= maxEntries) memo.clear();
    memo.set(key, value);
    return value;
  };
}

/**
 * A copy of a text that keeps nothing else alive, for keeping it long (a cache key). A text cut
 * from a larger one (a cell from the 1 MB chunk a reader parsed) refers to that whole chunk
 * for as long as it lives: a few thousand cached cells would hold a whole export in memory.
 */
export function detached(s: string): string {
  return ` ${s}`.slice(1);
}
