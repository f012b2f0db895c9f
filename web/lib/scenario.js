// SPDX-License-Identifier: MIT
// Scenarios: how accounts move between bands from a kept baseline to the current model.

/**
 * Band migration between two band vectors (-1 = unscored). Rows are the baseline's bands, columns
 * the current ones; the last row and column are "unscored". A row changed when its band index
 * changed (or it became scored or unscored).
 * @param {Int8Array} base @param {Int8Array} now @param {number} baseBands @param {number} nowBands
 */
export function migration(base, now, baseBands, nowBands = baseBands) {
  const matrix = Array.from({ length: baseBands + 1 }, () => new Array(nowBands + 1).fill(0));
  const changed = [];
  const len = Math.min(base.length, now.length);
  for (let i = 0; i < len; i++) {
    const a = base[i] < 0 ? baseBands : base[i];
    const b = now[i] < 0 ? nowBands : now[i];
    matrix[a][b]++;
    if (base[i] !== now[i]) changed.push(i);
  }
  return { matrix, changed: Uint32Array.from(changed) };
}

/** Band counts from a band vector (the last entry counts unscored). */
export function bandCounts(bandsOf, bands) {
  const counts = new Array(bands + 1).fill(0);
  for (let i = 0; i < bandsOf.length; i++) counts[bandsOf[i] < 0 ? bands : bandsOf[i]]++;
  return counts;
}
