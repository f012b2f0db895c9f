// SPDX-License-Identifier: MIT
// Workspaces saved in the browser (localStorage: synchronous, so a save on every change and one
// last save when the tab closes both finish). What is saved is the workspace document of store.js:
// models, scenarios with their undo history, read options, language and the file's name, size and
// column names. Never a cell of the file: a kept file lives in IndexedDB (keptfiles.js), only when
// the user asks. The storage object is injected, so Node tests use a Map-backed one.

export const KEY_INDEX = 'healthscore.workspaces';
export const KEY_CURRENT = 'healthscore.current';
export const KEY_PREFIX = 'healthscore.workspace.';

export class Persistence {
  /** @param {Storage|null} storage localStorage, or null when the browser refuses it (then nothing is kept) */
  constructor(storage) {
    this.storage = storage;
  }

  get available() {
    return !!this.storage;
  }

  /** [{id, name, updated, file: {name, size} | null, scenarios}] newest first. */
  list() {
    const index = this.read(KEY_INDEX);
    return Array.isArray(index) ? [...index].sort((a, b) => b.updated - a.updated) : [];
  }

  load(id) {
    const w = this.read(KEY_PREFIX + id);
    return w && typeof w === 'object' && Array.isArray(w.scenarios) ? w : null;
  }

  current() {
    return this.storage ? this.storage.getItem(KEY_CURRENT) : null;
  }

  setCurrent(id) {
    if (!this.storage) return;
    try {
      this.storage.setItem(KEY_CURRENT, id);
    } catch {
      /* storage full: the next save says so */
    }
  }

  /**
   * Saves a workspace and its entry in the index. When the browser's quota is full, the oldest
   * undo steps are dropped (halved) until it fits; answers {ok, trimmed} or {ok: false, error}.
   */
  save(workspace) {
    if (!this.storage) return { ok: false, error: 'unavailable' };
    let trimmed = false;
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        this.storage.setItem(KEY_PREFIX + workspace.id, JSON.stringify(workspace));
        const entry = {
          id: workspace.id,
          name: workspace.name,
          updated: workspace.updated,
          file: workspace.file ? { name: workspace.file.name, size: workspace.file.size } : null,
          scenarios: workspace.scenarios.length,
        };
        const index = this.list().filter((e) => e.id !== workspace.id);
        index.push(entry);
        this.storage.setItem(KEY_INDEX, JSON.stringify(index));
        return { ok: true, trimmed };
      } catch (e) {
        if (!isQuota(e)) return { ok: false, error: String(e && e.message) };
        let dropped = false;
        for (const s of workspace.scenarios) {
          if (s.past.length > 1) {
            s.past.splice(0, Math.ceil(s.past.length / 2));
            dropped = true;
          }
          if (s.future.length) {
            s.future = [];
            dropped = true;
          }
        }
        if (!dropped) return { ok: false, error: 'quota' };
        trimmed = true;
      }
    }
    return { ok: false, error: 'quota' };
  }

  remove(id) {
    if (!this.storage) return;
    this.storage.removeItem(KEY_PREFIX + id);
    const index = this.list().filter((e) => e.id !== id);
    this.storage.setItem(KEY_INDEX, JSON.stringify(index));
    if (this.current() === id) this.storage.removeItem(KEY_CURRENT);
  }

  read(key) {
    if (!this.storage) return null;
    try {
      const text = this.storage.getItem(key);
      return text === null ? null : JSON.parse(text);
    } catch {
      return null; // damaged by hand: treated as absent
    }
  }
}

function isQuota(e) {
  return !!e && (e.name === 'QuotaExceededError' || e.code === 22 || e.code === 1014);
}

/** localStorage, or null where the browser refuses it (some private modes throw on access). */
export function browserStorage() {
  try {
    const s = globalThis.localStorage;
    const probe = 'healthscore.probe';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

/** A Storage-like object over a Map, for tests (with an optional byte quota). */
export class MemoryStorage {
  constructor(quota = Infinity) {
    this.map = new Map();
    this.quota = quota;
  }
  getItem(k) {
    return this.map.has(k) ? this.map.get(k) : null;
  }
  setItem(k, v) {
    const size = [...this.map].reduce((n, [key, val]) => n + (key === k ? 0 : key.length + val.length), 0) + k.length + String(v).length;
    if (size > this.quota) {
      const e = new Error('quota');
      e.name = 'QuotaExceededError';
      throw e;
    }
    this.map.set(k, String(v));
  }
  removeItem(k) {
    this.map.delete(k);
  }
}
