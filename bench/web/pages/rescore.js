// SPDX-License-Identifier: MIT
// Rescore after one category weight change, three ways in one page over the same category scores:
// ours (the shipped wasm module's setCategoryWeight: weighted sum, bands, band counts and the
// histogram in one pass), a plain-JS kernel over Float64Arrays doing the same, and the formula as
// one SQL SELECT in DuckDB-wasm (band counts only, so its ratio is, if anything, kind to it). The driver (run.mjs) calls setup(n) once, then round(i) per run, interleaved.
import createHealthscore from '/dist/healthscore.mjs';
import * as duckdb from '/bench/web/node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';
import * as arrow from 'apache-arrow';

const S = {};

/** Band thresholds on unrounded scores, as the engine's (floor(max) + 0.5; the last band has none). */
function thresholds(bands) {
  return bands.slice(0, -1).map((b) => Math.floor(b.max) + 0.5);
}

/**
 * The honest JS competitor: renormalized weighted mean of the category scores (NaN = missing),
 * written to `scores`, the band of each row to `bands` (-1 unscored), counts to `counts`
 * ([unscored, band0, band1, ...]) and the histogram of rounded scores to `hist` (101 bins), the
 * same work as ours. Hand-specialised for 4 categories and up to 3 bands, the
 * model's shape; a generic loop otherwise.
 */
export function rescoreJs(cats, w, th, scores, bands, counts, hist) {
  const n = scores.length;
  counts.fill(0);
  hist.fill(0);
  if (cats.length === 4 && th.length === 2) {
    const [c0, c1, c2, c3] = cats;
    const [w0, w1, w2, w3] = w;
    const t0 = th[0],
      t1 = th[1];
    let u = 0,
      b0 = 0,
      b1 = 0,
      b2 = 0;
    for (let i = 0; i < n; i++) {
      let num = 0,
        den = 0,
        v;
      v = c0[i];
      if (v === v) {
        num += w0 * v;
        den += w0;
      }
      v = c1[i];
      if (v === v) {
        num += w1 * v;
        den += w1;
      }
      v = c2[i];
      if (v === v) {
        num += w2 * v;
        den += w2;
      }
      v = c3[i];
      if (v === v) {
        num += w3 * v;
        den += w3;
      }
      if (den > 0) {
        const s = num / den;
        scores[i] = s;
        const b = (s >= t0 ? 1 : 0) + (s >= t1 ? 1 : 0);
        bands[i] = b;
        hist[Math.round(s)]++; // s >= 0: Math.round is half away from zero
        if (b === 0) b0++;
        else if (b === 1) b1++;
        else b2++;
      } else {
        scores[i] = NaN;
        bands[i] = -1;
        u++;
      }
    }
    counts[0] = u;
    counts[1] = b0;
    counts[2] = b1;
    counts[3] = b2;
    return counts;
  }
  const k = cats.length;
  for (let i = 0; i < n; i++) {
    let num = 0,
      den = 0;
    for (let c = 0; c < k; c++) {
      const v = cats[c][i];
      if (v === v) {
        num += w[c] * v;
        den += w[c];
      }
    }
    if (den > 0) {
      const s = num / den;
      let b = 0;
      for (let j = 0; j < th.length; j++) if (s >= th[j]) b++;
      scores[i] = s;
      bands[i] = b;
      counts[b + 1]++;
      hist[Math.round(s)]++;
    } else {
      scores[i] = NaN;
      bands[i] = -1;
      counts[0]++;
    }
  }
  return counts;
}

function sql(w, th) {
  const k = w.length;
  const num = [...Array(k).keys()].map((c) => `coalesce(${w[c]} * c${c}, 0)`).join(' + ');
  const den = [...Array(k).keys()].map((c) => `(CASE WHEN c${c} IS NULL THEN 0 ELSE ${w[c]} END)`).join(' + ');
  const band = th.map((t) => `(CASE WHEN score >= ${t} THEN 1 ELSE 0 END)`).join(' + ');
  return `WITH s AS (SELECT (${num}) / nullif(${den}, 0) AS score FROM cats),
b AS (SELECT CASE WHEN score IS NULL THEN -1 ELSE ${band} END AS band FROM s)
SELECT band, count(*)::INTEGER AS n FROM b GROUP BY band ORDER BY band`;
}

async function startDuckdb() {
  const root = new URL('/bench/web/node_modules/@duckdb/duckdb-wasm/dist/', location.href).href;
  const worker = new Worker(root + 'duckdb-browser-eh.worker.js');
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(root + 'duckdb-eh.wasm');
  return db;
}

/** Loads accounts-N.csv into the engine, scores it with the sample model, loads DuckDB. */
window.setup = async function setup(n, { duck = true } = {}) {
  const t0 = performance.now();
  S.engine = await createHealthscore();
  const bytes = new Uint8Array(await (await fetch(`/bench/out/accounts-${n}.csv`)).arrayBuffer());
  const modelText = await (await fetch('/web/sample/model.json')).text();
  S.model = JSON.parse(modelText);
  const loaded = S.engine.loadCsv('main', bytes, `accounts-${n}.csv`, {}, undefined);
  if (!loaded.ok) throw new Error(loaded.message);
  const applied = S.engine.setModel(modelText, 0);
  if (!applied.ok) throw new Error(applied.message);
  const r = S.engine.results(true);
  S.rows = r.rows;
  S.cats = r.category_scores;
  S.w = S.model.categories.map((c) => c.weight);
  S.w0 = S.w[0];
  S.th = thresholds(S.model.bands);
  S.scores = new Float64Array(S.rows);
  S.bands = new Int8Array(S.rows);
  S.counts = new Float64Array(S.th.length + 2);
  S.hist = new Uint32Array(101);
  const memory = S.engine.memory();
  if (duck) {
    S.db = await startDuckdb();
    S.conn = await S.db.connect();
    const cols = {};
    S.cats.forEach((v, c) => {
      cols[`c${c}`] = v;
    });
    await S.conn.insertArrowTable(arrow.tableFromArrays(cols), { name: 'cats_raw' });
    const sel = S.cats.map((_, c) => `CASE WHEN isnan(c${c}) THEN NULL ELSE c${c} END AS c${c}`).join(', ');
    await S.conn.query(`CREATE TABLE cats AS SELECT ${sel} FROM cats_raw; DROP TABLE cats_raw`);
  }
  return {
    rows: S.rows,
    categories: S.cats.length,
    wasmUsed: memory.used,
    wasmHeap: memory.heap,
    bytes: bytes.length,
    setupMs: performance.now() - t0,
    crossOriginIsolated: self.crossOriginIsolated,
  };
};

function countsOf(r) {
  return [r.unscored, ...r.band_counts];
}

/** One interleaved run: every contender applies the same weight change; times in ms. */
window.round = async function round(i, { duck = true, order = 0 } = {}) {
  const w = S.w.slice();
  w[0] = S.w0 * (1 + 0.01 * (i + 1));
  const out = {};
  const steps = {
    ours: async () => {
      let t = performance.now();
      const r = S.engine.setCategoryWeight(0, w[0]);
      out.ours = performance.now() - t;
      if (!r.ok) throw new Error(r.message);
      t = performance.now();
      const res = S.engine.results(false); // what the Worker posts to the page: scores, bands, counts
      out.ours_results_copy = performance.now() - t;
      out.counts_ours = countsOf(res);
      out.hist_ours = res.histogram;
    },
    js: async () => {
      const t = performance.now();
      rescoreJs(S.cats, w, S.th, S.scores, S.bands, S.counts, S.hist);
      out.js = performance.now() - t;
      out.counts_js = Array.from(S.counts);
      out.hist_js = Array.from(S.hist);
    },
    duckdb: async () => {
      if (!duck) return;
      const t = performance.now();
      const res = await S.conn.query(sql(w, S.th));
      out.duckdb = performance.now() - t;
      const counts = new Array(S.th.length + 2).fill(0);
      for (const row of res.toArray()) counts[row.band + 1] = row.n;
      out.counts_duckdb = counts;
    },
  };
  const names = ['ours', 'js', 'duckdb'];
  for (let k = 0; k < names.length; k++) await steps[names[(k + order) % names.length]]();
  return out;
};

/** Only ours, `k` times (for the profiler). */
window.oursOnly = function oursOnly(k) {
  for (let i = 0; i < k; i++) S.engine.setCategoryWeight(0, S.w0 * (1 + 0.001 * (i + 1)));
};
window.jsOnly = function jsOnly(k) {
  const w = S.w.slice();
  for (let i = 0; i < k; i++) {
    w[0] = S.w0 * (1 + 0.001 * (i + 1));
    rescoreJs(S.cats, w, S.th, S.scores, S.bands, S.counts, S.hist);
  }
};
window.memory = () => S.engine.memory();
window.ready = true;
