// SPDX-License-Identifier: MIT
// Histogram of health scores by rounded score (0..100), so every bar lies in exactly one band.
import { roundHalfAway } from './format.js';

/** Counts per rounded score 0..100 and the number of unscored (NaN) accounts. */
export function histogram(scores) {
  const counts = new Uint32Array(101);
  let unscored = 0;
  for (let i = 0; i < scores.length; i++) {
    const x = scores[i];
    if (Number.isNaN(x)) unscored++;
    else counts[Math.min(100, Math.max(0, roundHalfAway(x)))]++;
  }
  return { counts, unscored };
}

/** Index of the band a rounded score falls in (first band whose max >= r), or -1. */
export function bandOfRounded(r, bands) {
  for (let i = 0; i < bands.length; i++) if (Number(bands[i].max) >= r) return i;
  return -1;
}
