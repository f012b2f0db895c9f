// SPDX-License-Identifier: MIT
// The results table's row order: filter by band, search id and name, sort. Pure so it is tested in
// Node; the page keeps only the visible slice of this order in the DOM.

/**
 * @param {object} o
 * @param {Float64Array} o.scores
 * @param {Int8Array} o.bands
 * @param {number} [o.band]  only rows of this band (-1: unscored; undefined: all)
 * @param {number} [o.segment]  only rows of this segment (`segments` value: group index, -1 other)
 * @param {Int8Array} [o.segments]  each row's segment, as the engine's `segment_of`
 * @param {(row:number)=>boolean} [o.match]  search predicate
 * @param {'row'|'score'|'band'|'id'|'name'|'category'} [o.sort]
 * @param {1|-1} [o.dir]
 * @param {(row:number)=>string} [o.text]  text key for id/name sorts
 * @param {Float64Array} [o.values]  numeric key for category sorts
 * @param {Uint32Array} [o.sorted]  every row already in the wanted order (the engine's order by a
 *   score, or an earlier text sort): only filtered here, so a slider move costs one pass
 * @returns {Uint32Array}
 */
export function rowOrder(o) {
  const n = o.scores.length;
  const base = o.sorted || sortedRows(o, n);
  const segment = o.segments && o.segment !== undefined ? o.segment : undefined;
  if (o.band === undefined && !o.match && segment === undefined) return base;
  const out = new Uint32Array(base.length);
  let k = 0;
  for (let j = 0; j < base.length; j++) {
    const i = base[j];
    if (o.band !== undefined && o.bands[i] !== o.band) continue;
    if (segment !== undefined && o.segments[i] !== segment) continue;
    if (o.match && !o.match(i)) continue;
    out[k++] = i;
  }
  return out.subarray(0, k);
}

/** Every row in the order `o` asks for, unfiltered. */
function sortedRows(o, n) {
  const dir = o.dir === -1 ? -1 : 1;
  const order = new Uint32Array(n);
  if (o.sort === 'band') return bandOrder(o.bands, dir, order);
  for (let i = 0; i < n; i++) order[i] = i;
  const numeric = o.sort === 'score' ? o.scores : o.sort === 'category' ? o.values : null;
  if (numeric) {
    // Unscored (NaN) rows go last in either direction; ties keep row order (stable sort). The page
    // asks the engine for these orders (order_by); this is the fallback and the tests' reference.
    order.sort((a, b) => {
      const x = numeric[a],
        y = numeric[b];
      const xn = Number.isNaN(x),
        yn = Number.isNaN(y);
      if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1;
      return x === y ? a - b : (x < y ? -1 : 1) * dir;
    });
  } else if ((o.sort === 'id' || o.sort === 'name') && o.text) {
    const keys = new Array(n);
    for (let i = 0; i < n; i++) keys[i] = o.text(i);
    // Locale-aware order for tables people read through; plain code-unit order for huge ones.
    if (n <= 100_000) {
      const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
      order.sort((a, b) => collator.compare(keys[a], keys[b]) * dir || a - b);
    } else {
      order.sort((a, b) => (keys[a] < keys[b] ? -dir : keys[a] > keys[b] ? dir : a - b));
    }
  } else if (dir === -1) {
    order.reverse();
  }
  return order;
}

/** A counting sort by band (one pass to count, one to place), unscored last, ties in row order. */
function bandOrder(bands, dir, order) {
  let top = -1;
  for (let i = 0; i < bands.length; i++) if (bands[i] > top) top = bands[i];
  const slots = top + 2; // bands 0..top, then unscored
  const slot = (b) => (b < 0 ? slots - 1 : dir === 1 ? b : top - b);
  const start = new Uint32Array(slots + 1);
  for (let i = 0; i < bands.length; i++) start[slot(bands[i]) + 1]++;
  for (let s = 1; s <= slots; s++) start[s] += start[s - 1];
  for (let i = 0; i < bands.length; i++) order[start[slot(bands[i])]++] = i;
  return order;
}

/** A case-insensitive substring predicate over any number of text getters. */
export function searchPredicate(query, getters) {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return undefined;
  return (row) => getters.some((g) => g(row).toLocaleLowerCase().includes(q));
}
