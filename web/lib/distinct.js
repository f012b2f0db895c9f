// SPDX-License-Identifier: MIT
// The distinct values of a text column, for the `map` rule editor. A column crosses the boundary as
// UTF-8 bytes plus end offsets; values are trimmed and matched case-insensitively, as `map` does.

const decoder = new TextDecoder();

/** Cell text of row `i` from a column's bytes and end offsets. */
export function cellText(bytes, ends, i) {
  const b = i === 0 ? 0 : ends[i - 1];
  return decoder.decode(bytes.subarray(b, ends[i]));
}

/**
 * Most frequent distinct non-empty values, first spelling kept, at most `limit` of them.
 * @returns {{values: {value: string, count: number}[], distinct: number}}
 */
export function distinctValues(bytes, ends, limit = 50) {
  const counts = new Map();
  for (let i = 0; i < ends.length; i++) {
    const v = cellText(bytes, ends, i).trim();
    if (!v) continue;
    const key = v.toLocaleLowerCase();
    const e = counts.get(key);
    if (e) e.count++;
    else counts.set(key, { value: v, count: 1 });
  }
  const all = [...counts.values()].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  return { values: all.slice(0, limit), distinct: all.length };
}
