// SPDX-License-Identifier: MIT
// Small, reversible differences between two JSON documents (the model before and after an edit), so
// an undo step costs the few bytes that changed, not a copy of the model. Pure, tested in Node.
//
// An operation is {p: path, o: old value, n: new value}; a value of `undefined` means "no such key".
// Objects with the same keys in the same order and arrays of the same length are compared member by
// member; anything else is replaced whole, so undoing never reorders an object's keys (a model
// written after an undo is the same text as before the edit).

/** @typedef {{p: (string|number)[], o?: any, n?: any}} Op */

const isObject = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
const copy = (x) => (x === undefined ? undefined : structuredClone(x));

/** The operations that turn `a` into `b`. */
export function diff(a, b, path = [], out = []) {
  if (Object.is(a, b)) return out;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) diff(a[i], b[i], [...path, i], out);
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    // Keys only added at the end (a weight set where the default was implied) stay small: undoing
    // them deletes the key, which keeps the order. Any other change of the key list replaces the object.
    const prefix = ka.length <= kb.length && ka.every((k, i) => kb[i] === k);
    if (prefix) {
      for (const k of ka) diff(a[k], b[k], [...path, k], out);
      for (const k of kb.slice(ka.length)) out.push({ p: [...path, k], o: undefined, n: copy(b[k]) });
      return out;
    }
  }
  out.push({ p: path, o: copy(a), n: copy(b) });
  return out;
}

/**
 * Applies operations to `doc` in place (`side` 'n' redoes, 'o' undoes, in reverse order) and
 * returns the document (a new one when an operation replaces the root).
 */
export function apply(doc, ops, side = 'n') {
  const list = side === 'o' ? [...ops].reverse() : ops;
  for (const op of list) {
    const value = copy(op[side]);
    if (op.p.length === 0) {
      doc = value;
      continue;
    }
    let parent = doc;
    for (const k of op.p.slice(0, -1)) parent = parent[k];
    const key = op.p[op.p.length - 1];
    if (value === undefined) delete parent[key];
    // As data: a key named __proto__ (a map rule's value) must not set the object's prototype.
    else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return doc;
}

/**
 * The weight changes when every operation changes only a category's or a signal's weight (the
 * sliders' fast path), else null. With `model` (the model after the change), a segment group's
 * existing weight override counts too, as {group, category, signal?, weight} by index: its path
 * names the category by id and the signal by key.
 */
export function weightChanges(ops, model) {
  const out = [];
  for (const { p, n } of ops) {
    if (typeof n !== 'number') return null;
    if (p.length === 3 && p[0] === 'categories' && p[2] === 'weight') out.push({ category: p[1], weight: n });
    else if (p.length === 5 && p[0] === 'categories' && p[2] === 'signals' && p[4] === 'weight')
      out.push({ category: p[1], signal: p[3], weight: n });
    else if (
      model &&
      (p.length === 6 || p.length === 8) &&
      p[0] === 'segments' &&
      p[1] === 'groups' &&
      p[3] === 'categories' &&
      p[p.length - 1] === 'weight' &&
      (p.length === 6 || p[5] === 'signals')
    ) {
      const category = (model.categories || []).findIndex((c) => c.id === p[4]);
      if (category < 0 || typeof p[2] !== 'number') return null;
      if (p.length === 6) out.push({ group: p[2], category, weight: n });
      else {
        const signals = model.categories[category].signals || [];
        const keyed = signals.map((s, i) => ((s.id || s.column) === p[6] ? i : -1)).filter((i) => i >= 0);
        if (keyed.length !== 1) return null; // an ambiguous key: the whole model, so the engine names it
        out.push({ group: p[2], category, signal: keyed[0], weight: n });
      }
    } else return null;
  }
  return out;
}
