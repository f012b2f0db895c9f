// SPDX-License-Identifier: MIT
// The second Worker that reads a large CSV's rest (web/lib/open.js), as the engine's Worker and the
// benchmarks start it.

/**
 * A second Worker, with an engine of its own, that reads a large CSV's rest while this one reads
 * its first part (lib/open.js): started for one file and ended after it, so its memory goes with it.
 * Its answers come as messages; a Worker that cannot start or crashes answers every call with a
 * failure, and the first part then reads the rest itself. Given the engine's compiled module
 * (lib/boot.js), the Worker starts on it instead of compiling its own.
 * @param {WebAssembly.Module} [module]
 */
export function restHelper(module) {
  let worker = null;
  let nextId = 1;
  const pending = new Map();
  const failAll = (kind, message) => {
    for (const p of pending.values()) p.resolve({ ok: false, kind, message });
    pending.clear();
  };
  const call = (op, args, onProgress) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, { resolve, onProgress });
      worker.postMessage({ id, op, args });
    });
  /** Starts the Worker (once), so its engine loads while the first part reads; throws if it cannot. */
  const launch = () => {
    if (worker) return;
    // Started as engine.js starts the engine's Worker, from a blob: URL that imports the module,
    // so it takes the same Content-Security-Policy (and a cross-origin-isolated page's policy).
    const src = new URL('../worker.js', import.meta.url).href;
    const boot = URL.createObjectURL(new Blob([`import ${JSON.stringify(src)};`], { type: 'text/javascript' }));
    worker = new Worker(boot, { type: 'module', name: 'healthscore-rest' });
    URL.revokeObjectURL(boot);
    worker.onmessage = (e) => {
      const m = e.data;
      const p = pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') {
        if (p.onProgress) p.onProgress(m.bytes, m.rows);
        return;
      }
      pending.delete(m.id);
      p.resolve(m.result);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      failAll('crash', String(e.message || 'worker error'));
    };
    if (module) {
      try {
        worker.postMessage({ op: 'boot', module });
      } catch {
        // A module that cannot be posted: the Worker compiles its own on its first call.
      }
    }
  };
  /** Ends the Worker (and its heap); a call still waiting answers 'cancelled'. */
  const end = () => {
    if (worker) worker.terminate();
    worker = null;
    failAll('cancelled', 'cancelled');
  };
  return {
    /** Starts the Worker ahead of readRest; a Worker that cannot start fails readRest instead. */
    start() {
      try {
        launch();
      } catch {
        // readRest answers the failure
      }
    },
    async readRest(file, start, shape, options, onProgress) {
      try {
        launch();
      } catch (e) {
        return { ok: false, kind: 'internal', message: String((e && e.message) || e) };
      }
      const r = await call('readRest', { file, start, shape, options }, onProgress);
      if (!r.ok) return r;
      // The rest's columns came packed with the answer: the Worker, and its heap, go now.
      end();
      const { columns, ...rest } = r;
      return {
        ...rest,
        column: async (j) => {
          const bytes = columns[j];
          columns[j] = null; // joined once; its memory goes as the join goes on
          if (!bytes) throw new Error(`the second Worker sent no column ${j}`);
          return bytes;
        },
      };
    },
    cancel: end,
  };
}
