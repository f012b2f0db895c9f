// SPDX-License-Identifier: MIT
// The workspace store: the one place the studio's work lives. A workspace is what a user would
// hate to lose: its scenarios (each a whole model with its own undo history), the read options,
// the language and which file it belongs to (name, size, columns; never the cells). Views read
// from it and change the model through it; every change bumps `version`, synchronously, so
// "settled" (the engine has scored `version`) covers every edit made so far. Pure: no DOM, no
// storage (workspace.js saves it), tested in Node.
import { diff, apply } from './jsondiff.js';

/** Undo steps kept per scenario (the issue asks for at least 100). */
export const HISTORY_LIMIT = 200;
/** Moves of one control closer together than this are one undo step (a slider drag). */
export const COALESCE_MS = 1500;
export const WORKSPACE_FORMAT = 1;

let counter = 0;
/** A short random id (workspaces, scenarios). */
export function newId(prefix) {
  const rnd =
    globalThis.crypto && globalThis.crypto.getRandomValues
      ? Array.from(globalThis.crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('')
      : `${Date.now().toString(36)}${(++counter).toString(36)}`;
  return `${prefix}-${rnd}`;
}

/** An empty workspace. */
export function emptyWorkspace({ name = '', lang = 'en', now = Date.now() } = {}) {
  return {
    format: WORKSPACE_FORMAT,
    id: newId('ws'),
    name,
    created: now,
    updated: now,
    lang,
    read_options: { header_row: 0, month_first: false },
    file: null, // {name, size, columns: [names], format, sheet, rows}
    keep_file: false,
    scenarios: [],
    active: null,
    compare: null, // {a, b}: the two scenarios the Scenarios step compares
  };
}

/** A scenario: a whole model, its name, and its undo history. */
export function makeScenario(name, model, origin = 'user') {
  return { id: newId('sc'), name, origin, model: structuredClone(model), past: [], future: [] };
}

const clone = (x) => structuredClone(x);

export class Store {
  /** @param {{now?: () => number}} [o] */
  constructor({ now = () => Date.now() } = {}) {
    this.now = now;
    this.listeners = new Set();
    this.version = 0;
    this.workspace = emptyWorkspace({ now: now() });
    this.snapshot = null; // the active model as last committed: edits are diffed against it
  }

  // ---- reading ----------------------------------------------------------------------------------

  get scenario() {
    const w = this.workspace;
    return w.scenarios.find((s) => s.id === w.active) || null;
  }

  /** The active scenario's model, edited in place by the views (then `commit`), or null. */
  get model() {
    const s = this.scenario;
    return s ? s.model : null;
  }

  canUndo() {
    const s = this.scenario;
    return !!s && s.past.length > 0;
  }

  canRedo() {
    const s = this.scenario;
    return !!s && s.future.length > 0;
  }

  /** The label of the step undo would take back (for the button's name), or ''. */
  undoLabel() {
    const s = this.scenario;
    return s && s.past.length ? s.past[s.past.length - 1].label : '';
  }

  redoLabel() {
    const s = this.scenario;
    return s && s.future.length ? s.future[s.future.length - 1].label : '';
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(change) {
    this.workspace.updated = this.now();
    for (const fn of this.listeners) fn(change);
  }

  // ---- whole workspaces -----------------------------------------------------------------------

  /** Adopts a workspace (restored, opened from the list, or new). */
  load(workspace) {
    this.workspace = workspace;
    if (!this.scenario && workspace.scenarios.length) workspace.active = workspace.scenarios[0].id;
    this.snapshot = this.model ? clone(this.model) : null;
    this.version++;
    this.emit({ kind: 'workspace', full: true, version: this.version });
  }

  /** Something the model is applied to changed (a new file): the scores must be made again. */
  touch() {
    this.version++;
  }

  /** Changes a workspace setting (name, lang, read_options, file, keep_file, compare). */
  set(key, value) {
    this.workspace[key] = value;
    this.emit({ kind: 'workspace', key, version: this.version });
  }

  // ---- model edits --------------------------------------------------------------------------

  /**
   * Records what changed in the active model since the last commit as one undo step. Views edit
   * `store.model` in place, then commit; `coalesce` merges a run of moves of one control (a slider
   * drag) into a single step. Returns the operations, or null when nothing changed.
   */
  commit(label, { coalesce = '', structural = false, views = [] } = {}) {
    const s = this.scenario;
    if (!s) return null;
    const ops = diff(this.snapshot, s.model);
    if (!ops.length) return null;
    this.snapshot = clone(s.model);
    const at = this.now();
    const last = s.past[s.past.length - 1];
    if (coalesce && last && last.coalesce === coalesce && at - last.at < COALESCE_MS && mergeable(last.ops, ops)) {
      last.ops[0].n = clone(ops[0].n);
      last.at = at;
      if (Object.is(last.ops[0].o, last.ops[0].n)) s.past.pop(); // dragged back to where it was
    } else {
      s.past.push({ label, ops, at, coalesce });
      if (s.past.length > HISTORY_LIMIT) s.past.splice(0, s.past.length - HISTORY_LIMIT);
    }
    s.future = [];
    if (s.origin !== 'user') s.origin = 'user';
    this.version++;
    this.emit({ kind: 'model', ops, label, structural, views, version: this.version });
    return ops;
  }

  /** Edits the active model with `mutate(model)` and commits it as one step. */
  edit(label, mutate, options) {
    if (!this.model) return null;
    mutate(this.model);
    return this.commit(label, options);
  }

  /** Replaces the active model whole, as one undoable step (a model file, the suggestion, a link). */
  replaceModel(label, model) {
    const s = this.scenario;
    if (!s) return this.addScenario(label, model, { origin: 'user' });
    s.model = clone(model);
    return this.commit(label, { structural: true });
  }

  undo() {
    return this.step('past', 'future', 'o');
  }

  redo() {
    return this.step('future', 'past', 'n');
  }

  step(from, to, side) {
    const s = this.scenario;
    if (!s || !s[from].length) return null;
    const entry = s[from].pop();
    s.model = apply(s.model, entry.ops, side);
    s[to].push(entry);
    this.snapshot = clone(s.model);
    this.version++;
    // The operations as they were applied (old and new swapped for an undo), so the engine can
    // take a slider's fast path for an undone slider move too.
    const ops = side === 'n' ? entry.ops : [...entry.ops].reverse().map((op) => ({ p: op.p, o: op.n, n: op.o }));
    this.emit({ kind: 'model', ops, label: entry.label, structural: true, undo: side === 'o', redo: side === 'n', version: this.version });
    return entry;
  }

  // ---- scenarios --------------------------------------------------------------------------------

  /** A new scenario holding `model` (default: a copy of the active one), made active. */
  addScenario(name, model = this.model, { origin = 'user', activate = true } = {}) {
    const sc = makeScenario(name, model || { version: 1, categories: [] }, origin);
    this.workspace.scenarios.push(sc);
    if (activate) this.activate(sc.id);
    else this.emit({ kind: 'scenarios', version: this.version });
    return sc;
  }

  activate(id) {
    if (!this.workspace.scenarios.some((s) => s.id === id)) return;
    const previous = this.workspace.active;
    this.workspace.active = id;
    this.snapshot = clone(this.model);
    this.version++;
    this.emit({ kind: 'model', scenario: true, previous, structural: true, version: this.version });
  }

  rename(id, name) {
    const s = this.workspace.scenarios.find((x) => x.id === id);
    if (!s || !name.trim()) return;
    s.name = name.trim();
    this.emit({ kind: 'scenarios', version: this.version });
  }

  duplicate(id, name) {
    const s = this.workspace.scenarios.find((x) => x.id === id);
    if (!s) return null;
    return this.addScenario(name, s.model, { origin: 'user', activate: true });
  }

  /** Deletes a scenario (never the last one); the active one moves to its neighbour. */
  remove(id) {
    const list = this.workspace.scenarios;
    const i = list.findIndex((x) => x.id === id);
    if (i < 0 || list.length <= 1) return false;
    list.splice(i, 1);
    const c = this.workspace.compare;
    if (c && (c.a === id || c.b === id)) this.workspace.compare = null;
    if (this.workspace.active === id) this.activate(list[Math.max(0, i - 1)].id);
    else this.emit({ kind: 'scenarios', version: this.version });
    return true;
  }
}

/** Two single-operation steps on the same path (one slider moved twice) can be one step. */
function mergeable(a, b) {
  return a.length === 1 && b.length === 1 && a[0].p.length === b[0].p.length && a[0].p.every((k, i) => k === b[0].p[i]) && a[0].o !== undefined;
}
