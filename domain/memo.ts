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
    const value = fn(s);
    if (memo.size >= maxEntries) memo.clear();
    memo.set(s, value);
    return value;
  };
}
