// SPDX-License-Identifier: MIT
// The page's side of the Worker: request/response over messages, progress events, and restart
// (cancelling a long read terminates the Worker; the page keeps its model and weights).

export class Engine {
  /** @param {{onProgress?: Function, onCrash?: Function}} hooks */
  constructor(hooks = {}) {
    this.hooks = hooks;
    this.nextId = 1;
    this.start();
  }

  start() {
    this.pending = new Map();
    // The Worker starts from a blob: URL that imports the real module: a blob Worker takes the
    // page's Content-Security-Policy (the meta CSP binds only the document otherwise), so the
    // file's bytes in the Worker are under the same connect-src 'self' as the page.
    const src = new URL('./worker.js', import.meta.url).href;
    const boot = URL.createObjectURL(new Blob([`import ${JSON.stringify(src)};`], { type: 'text/javascript' }));
    this.worker = new Worker(boot, { type: 'module', name: 'healthscore-engine' });
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.failAll('crash', String(e.message || 'worker error'));
      if (this.hooks.onCrash) this.hooks.onCrash(e);
    };
    this.ready = this.call('init');
    this.ready.then(() => URL.revokeObjectURL(boot));
  }

  receive(msg) {
    if (msg.type === 'progress') {
      const p = this.pending.get(msg.id);
      if (p && p.onProgress) p.onProgress(msg);
      if (this.hooks.onProgress) this.hooks.onProgress(msg);
      return;
    }
    if (msg.type === 'totals') {
      const p = this.pending.get(msg.id);
      if (p && p.onTotals) p.onTotals(msg.totals);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    p.resolve(msg.result);
    if (msg.result && msg.result.kind === 'crash' && this.hooks.onCrash) this.hooks.onCrash(msg.result);
  }

  failAll(kind, message) {
    for (const p of this.pending.values()) p.resolve({ ok: false, kind, message });
    this.pending.clear();
  }

  /**
   * Sends one operation; resolves with the Worker's {ok, ...} answer (never rejects). `onTotals`
   * receives the band counts and histogram a `weights` operation posts ahead of its answer;
   * `onProgress` this operation's progress messages.
   */
  call(op, args = {}, transfer = [], { onTotals, onProgress } = {}) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, onTotals, onProgress });
      this.worker.postMessage({ id, op, args }, transfer);
    });
  }

  /** Stops whatever the Worker is doing and starts a fresh one. */
  restart() {
    this.worker.terminate();
    this.failAll('cancelled', 'cancelled');
    this.start();
    return this.ready;
  }
}
