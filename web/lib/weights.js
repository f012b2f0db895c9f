// SPDX-License-Identifier: MIT
// Weights maths shown next to the sliders. Only ratios matter (spec/model.md); 0 switches off.

/** Each weight's share of the total, 0..1; all zeros (or an empty list) give all zeros. */
export function shares(weights) {
  let total = 0;
  for (const w of weights) if (w > 0) total += w;
  return weights.map((w) => (total > 0 && w > 0 ? w / total : 0));
}

/** The category weights of a model document. */
export function categoryWeights(model) {
  return (model.categories || []).map((c) => (c.weight === undefined ? 1 : Number(c.weight)));
}

/** The signal weights of one category of a model document. */
export function signalWeights(category) {
  return (category.signals || []).map((s) => (s.weight === undefined ? 1 : Number(s.weight)));
}
