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
      return { ...s, weight: has ? so.weight : (s.weight ?? 1), overridden: has, base: s.weight ?? 1 };
    });
    const has = !!o && typeof o.weight === 'number';
    return { ...c, weight: has ? o.weight : (c.weight ?? 1), overridden: has, base: c.weight ?? 1, signals };
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
  const base =
    String(label)
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'group';
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

// ---- band cut points and rules per group ------------------------------------------------------

/**
 * The bands as group `g` bands its accounts: the base bands with the group's `max` and `action`
 * where it gives them, and what differs from the base (`maxChanged`, `actionChanged`, with the
 * base values); the document is not changed. `g` < 0: the base bands.
 */
export function effectiveBands(m, g) {
  const group = g >= 0 && m.segments && m.segments.groups ? m.segments.groups[g] : null;
  const own = group && Array.isArray(group.bands) ? group.bands : null;
  return (m.bands || []).map((b, i) => {
    const o = own ? own.find((x) => x.id === b.id) || own[i] : null;
    const max = o && typeof o.max === 'number' ? o.max : b.max;
    const action = o && typeof o.action === 'string' ? o.action : b.action || '';
    return { ...b, max, action, base: { max: b.max, action: b.action || '' }, maxChanged: max !== b.max, actionChanged: action !== (b.action || '') };
  });
}

/** Whether group `g` overrides anything about the bands. */
export function bandsOverridden(m, g) {
  return effectiveBands(m, g).some((b) => b.maxChanged || b.actionChanged);
}

/**
 * Sets group `g`'s cut point (`max`) or `action` of band `i`. The contract's group `bands` lists
 * every base band id in order, so a first override copies the base cut points in.
 */
export function setBandOverride(m, g, i, { max, action } = {}) {
  const group = m.segments.groups[g];
  if (!Array.isArray(group.bands) || group.bands.length !== m.bands.length) {
    group.bands = effectiveBands(m, g).map((b) => (b.actionChanged ? { id: b.id, max: b.max, action: b.action } : { id: b.id, max: b.max }));
  }
  const o = group.bands[i];
  if (max !== undefined) o.max = max;
  if (action !== undefined) {
    if (action === (m.bands[i].action || '')) delete o.action;
    else o.action = action;
  }
  tidyBands(m, g);
}

/** Gives band `i` of group `g` the base cut point and action again. */
export function resetBandOverride(m, g, i) {
  const group = m.segments.groups[g];
  if (!Array.isArray(group.bands)) return;
  const o = group.bands[i];
  if (o) {
    o.max = m.bands[i].max;
    delete o.action;
  }
  tidyBands(m, g);
}

/** A group whose bands all equal the base's drops its `bands` (it then takes the base's as written). */
function tidyBands(m, g) {
  const group = m.segments.groups[g];
  if (Array.isArray(group.bands) && !bandsOverridden(m, g)) delete group.bands;
}

/**
 * Keeps every group's `bands` in step with the base bands after one was added at `added` or
 * removed at `removed`: same ids in the same order, the last at 100.
 */
export function syncGroupBands(m, { added = -1, removed = -1 } = {}) {
  for (const group of (m.segments && m.segments.groups) || []) {
    if (!Array.isArray(group.bands)) continue;
    if (removed >= 0) group.bands.splice(removed, 1);
    if (added >= 0) {
      const prev = added > 0 && group.bands[added - 1] ? group.bands[added - 1].max : 0;
      const next = group.bands[added] ? group.bands[added].max : 100;
      group.bands.splice(added, 0, { id: m.bands[added].id, max: Math.round((prev + next) / 2) });
    }
    group.bands.forEach((b, i) => {
      if (m.bands[i]) b.id = m.bands[i].id;
    });
    if (group.bands.length) group.bands[group.bands.length - 1].max = 100;
    if (!group.bands.length) delete group.bands;
  }
}

/** The group's override object for signal `si` of category `ci`, or undefined. */
export function signalOverride(m, g, ci, si) {
  const c = m.categories[ci];
  const o = categoryOverride(m, g, c.id);
  return o && o.signals ? o.signals[signalKey(c.signals[si])] : undefined;
}

/** Group `g`'s own rule for signal `si` of category `ci` (a copy of the base rule to start from). */
export function setRuleOverride(m, g, ci, si, rule) {
  const group = m.segments.groups[g];
  const c = m.categories[ci];
  group.categories = group.categories || {};
  const o = (group.categories[c.id] = group.categories[c.id] || {});
  o.signals = o.signals || {};
  const key = signalKey(c.signals[si]);
  o.signals[key] = o.signals[key] || {};
  o.signals[key].rule = structuredClone(rule);
  return o.signals[key].rule;
}

/**
 * Takes back group `g`'s override of a category (`si` undefined: its weight) or of a signal
 * (`what` 'weight' or 'rule'); objects left empty are removed, so the model says only what differs.
 */
export function resetOverride(m, g, ci, si, what = 'weight') {
  const group = m.segments.groups[g];
  const c = m.categories[ci];
  const o = group.categories && group.categories[c.id];
  if (!o) return;
  if (si === undefined) delete o.weight;
  else if (o.signals) {
    const key = signalKey(c.signals[si]);
    if (o.signals[key]) {
      delete o.signals[key][what];
      if (!Object.keys(o.signals[key]).length) delete o.signals[key];
    }
    if (!Object.keys(o.signals).length) delete o.signals;
  }
  if (!Object.keys(o).length) delete group.categories[c.id];
  if (!Object.keys(group.categories).length) delete group.categories;
}

// ---- the segment shown in the summary, results, scenarios and evidence -----------------------

/** The key of the segment shown: `null` every account, else a group id or `OTHER`. */
export const OTHER = '\u0000other';

/** The index of segment `key` in a list of engine segments ({id}: groups, then the other with id ''), or -1. */
export function segmentIndex(list, key) {
  if (!list || key === null || key === undefined) return -1;
  return list.findIndex((s) => (key === OTHER ? !s.id : s.id === key));
}

/** The engine's per-row segment value (`segment_of`: group index, -1 other) of `key` in model `m`, or undefined. */
export function segmentCode(m, key) {
  if (!m || !m.segments || key === null || key === undefined) return undefined;
  if (key === OTHER) return -1;
  const g = (m.segments.groups || []).findIndex((x) => x.id === key);
  return g >= 0 ? g : undefined;
}

/**
 * Sums `bars` (101 figures, one per rounded score) per band: bands go by the rounded score, so the
 * bars of a band add up to its total (counts, or value when the bars are weighted by value).
 */
export function barsPerBand(bars, bands) {
  const out = new Array(bands.length).fill(0);
  for (let r = 0; r < bars.length; r++) {
    const b = bands.findIndex((x) => Number(x.max) >= r);
    if (b >= 0) out[b] += bars[r];
  }
  return out;
}

/** A migration matrix's band mix: row sums (side a) and column sums (side b), unscored last. */
export function mixOf(transitions) {
  const a = transitions.map((row) => row.reduce((s, x) => s + x, 0));
  const b = transitions.length ? transitions[0].map((_, j) => transitions.reduce((s, row) => s + row[j], 0)) : [];
  return { a, b };
}

/** Accounts whose band changed in a migration matrix (same band index on both sides, or unscored on both, stays). */
export function movedIn(transitions) {
  const na = transitions.length - 1;
  let n = 0;
  transitions.forEach((row, i) =>
    row.forEach((x, j) => {
      const nb = row.length - 1;
      const stays = (i === j && i < na && j < nb) || (i === na && j === nb);
      if (!stays) n += x;
    }),
  );
  return n;
}

/**
 * The histogram's bars split by band: `parts` are sets of accounts banded by their own cut points
 * ({bars: 101 figures per rounded score, bands}); with segments whose cut points differ, one
 * rounded score can lie in different bands in different segments, so each bar is a stack. Answers
 * stacks[r][band] (band indexes; every part's bands share the ids).
 */
export function stackedBars(parts, nbands) {
  const stacks = Array.from({ length: 101 }, () => new Array(nbands).fill(0));
  for (const { bars, bands } of parts) {
    for (let r = 0; r < 101; r++) {
      if (!(bars[r] > 0)) continue;
      const b = bands.findIndex((x) => Number(x.max) >= r);
      if (b >= 0) stacks[r][b] += bars[r];
    }
  }
  return stacks;
}
