// SPDX-License-Identifier: MIT
// Segments in the model document (spec "Extensions": one model, a scorecard per kind of account):
// the weights a group's accounts are scored with, the overrides the sliders write, and groups made
// from a column's values. Pure, tested in Node.

/** A signal's key within its category: its `id`, else its column (spec "Signal ids"). */
export function signalKey(s) {
  return s.id || s.column;
}

/** The group's override object for a category, or undefined. */
function categoryOverride(m, g, cid) {
  const group = m.segments && m.segments.groups && m.segments.groups[g];
  return group && group.categories ? group.categories[cid] : undefined;
}

/**
 * The categories as group `g` scores them: each category's and signal's weight with the group's
 * override where it has one, and `overridden` flags; the document is not changed.
 */
export function effectiveWeights(m, g) {
  return (m.categories || []).map((c) => {
    const o = categoryOverride(m, g, c.id);
    const signals = (c.signals || []).map((s) => {
      const so = o && o.signals ? o.signals[signalKey(s)] : undefined;
      const has = !!so && typeof so.weight === 'number';
      return { ...s, weight: has ? so.weight : s.weight ?? 1, overridden: has, base: s.weight ?? 1 };
    });
    const has = !!o && typeof o.weight === 'number';
    return { ...c, weight: has ? o.weight : c.weight ?? 1, overridden: has, base: c.weight ?? 1, signals };
  });
}

/** Sets group `g`'s weight for category `ci` (adding the override). */
export function setCategoryOverride(m, g, ci, w) {
  const group = m.segments.groups[g];
  const c = m.categories[ci];
  group.categories = group.categories || {};
  group.categories[c.id] = group.categories[c.id] || {};
  group.categories[c.id].weight = w;
}

/** Sets group `g`'s weight for signal `si` of category `ci`. */
export function setSignalOverride(m, g, ci, si, w) {
  const group = m.segments.groups[g];
  const c = m.categories[ci];
  group.categories = group.categories || {};
  const o = (group.categories[c.id] = group.categories[c.id] || {});
  o.signals = o.signals || {};
  const key = signalKey(c.signals[si]);
  o.signals[key] = o.signals[key] || {};
  o.signals[key].weight = w;
}

/** An id from a label: lower case letters, digits and underscores, unique among `taken`. */
export function groupId(label, taken) {
  const base = String(label).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'group';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}

/** One group per value (the most frequent first, at most `limit`; the rest fall in "other"). */
export function groupsFromValues(values, limit = 12) {
  const taken = new Set();
  return values.slice(0, limit).map((v) => ({ id: groupId(v, taken), label: v, values: [v] }));
}

/** Moves a value to group `g` (-1: to no group, so "other"); groups left without values stay. */
export function moveValue(segments, value, g) {
  const fold = (x) => String(x).trim().toLowerCase();
  for (const group of segments.groups) group.values = (group.values || []).filter((v) => fold(v) !== fold(value));
  if (g >= 0) segments.groups[g].values.push(value);
}
