// SPDX-License-Identifier: MIT
// The Worker that owns the wasm engine: the one JS module that touches it. The page sends
// {id, op, args}; the Worker answers {id, ok, ...} and posts {type: 'progress'} while reading.
// Large arrays go back as transferables, so nothing is copied twice.
import createHealthscore from './healthscore.mjs';
import { openBytes, openFile, readRest } from './lib/open.js';
import { restHelper } from './lib/rest.js';
import { compileEngine, engineOn } from './lib/boot.js';
import { distinctValues } from './lib/distinct.js';
import { decodeModel } from './lib/share.js';

// The engine's Worker compiles the module and starts at once. The second Worker that reads a large
// CSV's rest (lib/rest.js names it) waits for its first message, which brings the compiled module
// (lib/boot.js); without one it compiles its own.
const isRest = self.name === 'healthscore-rest';
let compiled = null;
let enginePromise = null;
let startedOn = null; // 'shared' (a posted module) or 'compiled' (its own), told with a rest's read
const startEngine = (module) => {
  startedOn = module ? 'shared' : 'compiled';
  compiled = module ? Promise.resolve(module) : compileEngine(new URL('./healthscore.wasm', import.meta.url));
  enginePromise = compiled.then((m) => engineOn(createHealthscore, m));
};
if (!isRest) startEngine();

/** Buffers of typed arrays found in a result, to transfer instead of copy. */
function transferables(value, out = []) {
  if (ArrayBuffer.isView(value)) out.push(value.buffer);
  else if (Array.isArray(value)) for (const v of value) transferables(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) transferables(v, out);
  return out;
}

function progressReporter(id, total, phase) {
  let last = 0;
  return (bytes, rows) => {
    const now = performance.now();
    if (now - last < 50) return;
    last = now;
    postMessage({ type: 'progress', id, phase, bytes, total, rows });
  };
}

/** Posts the band counts and histogram ahead of an operation's answer, for the page to paint at once. */
function postTotals(engine, id) {
  const totals = engine.totals();
  if (totals.ok) postMessage({ type: 'totals', id, totals });
}

/** Adds the table's sorted row order to results when the page sorts by a score. */
function withOrder(engine, results, order) {
  if (!results.ok || !order) return results;
  const o = engine.order(order.category, !!order.descending);
  if (o.ok) results.order = { ...order, rows: o.order };
  return results;
}

const ops = {
  async init(engine) {
    return { ok: true, version: engine.version() };
  },

  /**
   * Reads a File (or bytes) as CSV/TSV or a workbook, then one sheet of it, into a session:
   * `staging` for a file the page may still refuse (it commits it), `earlier` for Evidence.
   */
  async open(engine, { session, file, bytes, name, options }, id) {
    const total = bytes ? bytes.byteLength : file.size;
    postMessage({ type: 'progress', id, phase: 'reading', bytes: 0, total, rows: 0 });
    const progress = (phase) => {
      postMessage({ type: 'progress', id, phase, bytes: 0, total, rows: 0 });
      return progressReporter(id, total, phase);
    };
    // A File is read from its Blob (a large CSV a piece at a time); bytes (a restored file) as they are.
    if (bytes) return openBytes(engine, session, new Uint8Array(bytes), name, options, progress);
    return openFile(engine, session, file, name, options, progress, { helper: restHelper(await compiled) });
  },

  /**
   * In the second Worker: the rest of a large CSV from `start` on (lib/open.js readRest), with
   * every column packed (their buffers transferred), so this Worker and its heap can go at once,
   * before the first part joins them (BENCHMARKS.md, "The rest's Worker ends before the join").
   */
  async readRest(engine, { file, start, shape, options }, id) {
    const r = await readRest(engine, file, start, shape, options, progressReporter(id, file.size - start, 'reading'));
    if (!r.ok) return r;
    const columns = [];
    for (let j = 0; j < shape.columns; ++j) {
      const bytes = engine.csvRestColumn(j);
      if (!bytes) return { ok: false, kind: 'internal', message: `no column ${j}` };
      columns.push(bytes);
    }
    engine.csvRestDone();
    return { ...r, columns, engine: startedOn };
  },

  /** Another sheet of the scored workbook, read into staging. */
  async sheet(engine, { options }, id) {
    return engine.loadSheet('staging', 'main', options || {}, progressReporter(id, 0, 'reading'));
  },

  /** The staged file becomes the scored one. */
  async commit(engine) {
    return engine.commit();
  },

  async discard(engine, { session }) {
    return engine.discard(session);
  },

  async suggest(engine, { session }) {
    return engine.suggest(session || 'main');
  },

  /** A share link's model, decoded here so a hostile link never blocks the page. */
  async decodeLink(engine, { value }) {
    return { ok: true, decoded: decodeModel(value) };
  },

  /** The model as one SQL query for a warehouse (the CLI's `healthscore sql`). */
  async toSql(engine, { json, dialect, table }) {
    return engine.toSql(json, dialect, table || '', '');
  },

  async check(engine, { json }) {
    return engine.checkModel(json);
  },

  /**
   * Applies a model and returns the full results (with category scores, and `order` when asked);
   * posts the totals first, as `weights` does, so the page paints the band counts of a file just
   * read before the scores for the table are copied out.
   */
  async model(engine, { json, today, order }, id) {
    const r = engine.setModel(json, today);
    if (!r.ok) return r;
    postTotals(engine, id);
    return withOrder(engine, engine.results(true), order);
  },

  /**
   * Applies slider moves in order; posts the totals (band counts, histogram) at once, so the page
   * paints them before the large arrays are copied, then returns the full results.
   */
  async weights(engine, { changes, order }, id) {
    let signal = false;
    for (const ch of changes) {
      // A segment group's slider rescores that group's accounts only.
      const r =
        ch.group !== undefined
          ? ch.signal === undefined
            ? engine.setGroupCategoryWeight(ch.group, ch.category, ch.weight)
            : engine.setGroupSignalWeight(ch.group, ch.category, ch.signal, ch.weight)
          : ch.signal === undefined
            ? engine.setCategoryWeight(ch.category, ch.weight)
            : engine.setSignalWeight(ch.category, ch.signal, ch.weight);
      if (!r.ok) return r;
      if (ch.signal !== undefined) signal = true;
    }
    postTotals(engine, id);
    return withOrder(engine, engine.results(signal), order);
  },

  /** The table's row order by score (category -1) or by a category's score. */
  async order(engine, { category, descending }) {
    return engine.order(category, !!descending);
  },

  /** The call list of a band (Execute). */
  async callList(engine, { options }) {
    return engine.callList(options || {});
  },

  async explain(engine, { row }) {
    return engine.explain(row);
  },

  async exportCsv(engine, { convention }) {
    return engine.exportCsv(convention || 'standard');
  },

  async exportJson(engine) {
    return engine.exportJson();
  },

  async columnText(engine, { index }) {
    return engine.columnText(index);
  },

  async distinct(engine, { index, limit }) {
    const r = engine.columnText(index);
    if (!r.ok) return r;
    return { ok: true, ...distinctValues(r.bytes, r.ends, limit) };
  },

  /**
   * Validation against the model's outcome, as the engine's JSON (parsed here, off the page's
   * thread). The weight search runs a slice at a time; between slices the Worker reads its messages,
   * and a scoring operation (a slider) that arrived meanwhile ends the search as superseded, so the
   * slider waits for one slice, not for the whole search.
   */
  async validate(engine, { options }, id) {
    let r = engine.validate({ ...(options || {}), stepped: true });
    while (r.ok && r.pending) {
      await nextTask();
      if (lastScoringId > id) {
        engine.validateCancel();
        return { ok: false, kind: 'cancelled', message: 'superseded by a newer model' };
      }
      r = engine.validateStep(SEARCH_SLICE);
    }
    return r.ok ? { ok: true, validation: JSON.parse(r.json) } : r;
  },

  /** Scores the earlier file with the current model and compares; the CSV bytes only when asked. */
  async compare(engine, { today, csv }) {
    const r = engine.compare(today, { csv: !!csv });
    return r.ok ? { ok: true, comparison: JSON.parse(r.json), csv: r.csv } : r;
  },

  /** Two scenarios scored on the scored file and compared ('' is the model applied now). */
  async compareModels(engine, { a, b, today, options }) {
    return engine.compareModels(a || '', b || '', today, options || {});
  },

  // ---- History: snapshots of the same accounts ------------------------------------------------

  /** The date a file name shows, by the command line's rule. */
  async dateInName(engine, { name }) {
    return engine.dateInName(name);
  },

  /**
   * Reads a file as `open` does (the one read path), into the `snapshot` session, and adds it to
   * the snapshot list with its date (days, or null until the user gives one).
   */
  async addSnapshot(engine, { file, name, date, options }, id) {
    const r = await ops.open(engine, { session: 'snapshot', file, name, options }, id);
    if (!r.ok) {
      engine.discard('snapshot');
      return r;
    }
    if (r.info.rows === 0) {
      engine.discard('snapshot');
      return { ok: true, empty: true, info: r.info };
    }
    const added = engine.addSnapshot(date === undefined ? null : date);
    return added.ok ? { ...added, format: r.format } : added;
  },

  async setSnapshotDate(engine, { snapshot, date }) {
    return engine.setSnapshotDate(snapshot, date === undefined ? null : date);
  },

  async removeSnapshot(engine, { snapshot }) {
    return engine.removeSnapshot(snapshot);
  },

  /** Every snapshot scored with the model and the trend built: its JSON parsed here, off the page's thread. */
  async trend(engine, { json, options }, id) {
    const r = engine.trend(json, options || {}, (done, total) => postMessage({ type: 'progress', id, phase: 'trend', bytes: done, total, rows: 0 }));
    if (!r.ok) return r;
    return {
      ok: true,
      trend: JSON.parse(r.json),
      series: r.series,
      absent_columns: r.absent_columns,
      heap_peak: r.heap_peak,
      memory: engine.memory(),
    };
  },

  /** One account's score series in the last trend (the breakdown's chart). */
  async trendAccount(engine, { id }) {
    return engine.trendAccount(id);
  },

  async trendCsv(engine, { convention }) {
    return engine.trendCsv(convention || 'standard');
  },

  async trendMoversCsv(engine, { convention }) {
    return engine.trendMoversCsv(convention || 'standard');
  },

  async memory(engine) {
    return { ok: true, ...engine.memory() };
  },

  async clear(engine) {
    engine.clear();
    return { ok: true };
  },
};

// The weight search's work between two looks at the Worker's messages, in the engine's units
// (rows × (categories + 20) per weighting tried): about 20 ms of wasm at 50,000 rows and 4 categories.
const SEARCH_SLICE = 16_000_000;
// Resolves in a later task, once the messages that arrived meanwhile have been delivered: a timer
// (a MessageChannel's messages, tried first, ran ahead of the page's and starved them).
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

// One operation at a time, in arrival order: `open` awaits the file's bytes, and nothing else may
// run on the engine meanwhile.
let queue = Promise.resolve();
// Figures for a model the page has since changed are of no use: a validation still waiting in the
// queue when a scoring operation arrives after it is answered 'cancelled' without running, so a
// slider move waits at most for the one already running.
const scoringOps = new Set(['model', 'weights', 'commit', 'clear']);
let lastScoringId = 0;
self.onmessage = (event) => {
  const { id, op } = event.data;
  if (op === 'boot') return startEngine(event.data.module);
  if (!enginePromise) startEngine();
  if (scoringOps.has(op)) lastScoringId = Math.max(lastScoringId, id);
  queue = queue.then(() => handle(event));
};

async function handle(event) {
  const { id, op, args } = event.data;
  let result;
  try {
    const engine = await enginePromise;
    const fn = ops[op];
    if (op === 'validate' && lastScoringId > id) result = { ok: false, kind: 'cancelled', message: 'superseded by a newer model' };
    else result = fn ? await fn(engine, args || {}, id) : { ok: false, kind: 'internal', message: `unknown operation ${op}` };
  } catch (e) {
    // A trap or an abort leaves the wasm instance unusable: the page restarts the Worker.
    const fatal = e instanceof WebAssembly.RuntimeError || /abort/i.test(String(e && e.message));
    result = { ok: false, kind: fatal ? 'crash' : 'internal', message: String((e && e.message) || e) };
  }
  postMessage({ type: 'result', id, result }, transferables(result));
}
