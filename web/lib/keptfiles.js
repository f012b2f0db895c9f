// SPDX-License-Identifier: MIT
// Files the user asked to keep on this device ("Keep this file on this device"), in IndexedDB,
// one per workspace: {name, size, type, blob, saved}. Nothing is stored here otherwise.

const DB = 'healthscore';
const STORE = 'files';

function open() {
  return new Promise((resolve, reject) => {
    if (!globalThis.indexedDB) {
      reject(new Error('IndexedDB is not available in this browser'));
      return;
    }
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run(mode, fn) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req && req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error('aborted'));
    });
  } finally {
    db.close();
  }
}

/** Keeps `blob` for workspace `id`. */
export function keepFile(id, blob, name) {
  return run('readwrite', (s) => s.put({ name, size: blob.size, type: blob.type, blob, saved: Date.now() }, id));
}

/** The kept file of a workspace, or undefined. */
export async function keptFile(id) {
  try {
    return await run('readonly', (s) => s.get(id));
  } catch {
    return undefined;
  }
}

export function forgetKeptFile(id) {
  return run('readwrite', (s) => s.delete(id)).catch(() => undefined);
}
