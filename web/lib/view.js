// SPDX-License-Identifier: MIT
// The results table's row order: filter by band, search id and name, sort. Pure so it is tested in
// Node; the page keeps only the visible slice of this order in the DOM.

/**
 * @param {object} o
 * @param {Float64Array} o.scores
 * @param {Int8Array} o.bands
 * @param {number} [o.band]  only rows of this band (-1: unscored; undefined: all)
 * @param {(row:number)=>boolean} [o.match]  search predicate
 * @param {'row'|'score'|'band'|'id'|'name'|'category'} [o.sort]
 * @param {1|-1} [o.dir]
 * @param {(row:number)=>string} [o.text]  text key for id/name sorts
 * @param {Float64Array} [o.values]  numeric key for category sorts
 * @returns {Uint32Array}
 */
export function rowOrder(o) {
  const n = o.scores.length;
  const keep = [];
  for (let i = 0; i < n; i++) {
    if (o.band !== undefined && o.bands[i] !== o.band) continue;
    if (o.match && !o.match(i)) continue;
    keep.push(i);
  }
  const order = Uint32Array.from(keep);
  const dir = o.dir === -1 ? -1 : 1;
  const numeric = o.sort === 'score' ? o.scores : o.sort === 'category' ? o.values : null;
  if (numeric) {
    // Unscored (NaN) rows go last in either direction; ties keep row order (stable sort).
    order.sort((a, b) => {
      const x = numeric[a], y = numeric[b];
      const xn = Number.isNaN(x), yn = Number.isNaN(y);
      if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1;
      return x === y ? a - b : (x < y ? -1 : 1) * dir;
    });
  } else if (o.sort === 'band') {
    order.sort((a, b) => {
      const x = o.bands[a], y = o.bands[b];
      if (x < 0 || y < 0) return x === y ? a - b : x < 0 ? 1 : -1;
      return x === y ? a - b : (x - y) * dir;
    });
  } else if ((o.sort === 'id' || o.sort === 'name') && o.text) {
    const keys = new Array(n);
    for (const i of order) keys[i] = o.text(i);
    // Locale-aware order for tables people read through; plain code-unit order for huge ones.
    if (order.length <= 100_000) {
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

/** A case-insensitive substring predicate over any number of text getters. */
export function searchPredicate(query, getters) {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return undefined;
  return (row) => getters.some((g) => g(row).toLocaleLowerCase().includes(q));
}
