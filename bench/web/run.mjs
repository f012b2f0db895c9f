// SPDX-License-Identifier: MIT
// The browser benchmarks (issue 4). scripts/bench-web runs this; see its header for what is measured.
//   node bench/web/run.mjs --sizes "10000 100000 1000000" --runs 5 [--only rescore,ingest,...]
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';
import { launch, median, peakStart, peakEnd } from './lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, 'bench/out');
const opt = { sizes: [10000, 100000, 1000000], runs: 5, only: null, ingestFile: null, xlsxRows: [200000], xlsxRuns: 1, timeoutS: 240, profile: true };
for (let i = 2; i < process.argv.length; i += 2) {
  const [k, v] = [process.argv[i], process.argv[i + 1]];
  if (k === '--sizes')
    opt.sizes = v
      .trim()
      .split(/[\s,]+/)
      .map(Number);
  else if (k === '--runs') opt.runs = Math.max(1, Number(v));
  else if (k === '--only') opt.only = new Set(v.split(','));
  else if (k === '--ingest-file') opt.ingestFile = v;
  else if (k === '--csv-contenders') opt.csvContenders = v.split(',');
  else if (k === '--xlsx-runs') opt.xlsxRuns = Math.max(1, Number(v));
  else if (k === '--timeout') opt.timeoutS = Number(v);
  else if (k === '--no-profile') {
    opt.profile = false;
    i--;
  } else if (k === '--xlsx-rows')
    opt.xlsxRows = v
      .trim()
      .split(/[\s,]+/)
      .map(Number)
      .filter(Boolean);
  else {
    console.error(`unknown option ${k}`);
    process.exit(2);
  }
}
const want = (name) => !opt.only || opt.only.has(name);
mkdirSync(OUT, { recursive: true });
const RESULTS = join(OUT, 'web.jsonl');
const record = (o) => {
  appendFileSync(RESULTS, JSON.stringify(o) + '\n');
  console.log(JSON.stringify(o));
};
const log = (...a) => console.error('[bench-web]', ...a);

const { url: BASE, close } = await serve(ROOT);
log('serving', ROOT, 'at', BASE);

async function newPage(browser, path) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => log('pageerror', e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') log('console', m.text());
  });
  await page.goto(BASE + path);
  return { context, page };
}

// ---- 1. rescore after one category weight change -----------------------------------------------
async function rescore() {
  const browser = await launch();
  try {
    for (const n of opt.sizes) {
      const { context, page } = await newPage(browser, '/bench/web/pages/rescore.html');
      await page.waitForFunction(() => window.ready === true);
      const info = await page.evaluate((n) => window.setup(n), n);
      log('rescore setup', n, info);
      for (let i = 0; i < 3; i++) await page.evaluate((i) => window.round(-1 - i, { order: i }), i); // warm-up (JIT tiers)
      const runs = Math.max(opt.runs, 11);
      const rs = [];
      for (let i = 0; i < runs; i++) rs.push(await page.evaluate(([i]) => window.round(i, { order: i % 3 }), [i]));
      const agree = rs.every(
        (r) =>
          JSON.stringify(r.counts_ours) === JSON.stringify(r.counts_js) &&
          JSON.stringify(r.counts_ours) === JSON.stringify(r.counts_duckdb) &&
          JSON.stringify(r.hist_ours) === JSON.stringify(r.hist_js),
      );
      const m = (k) => median(rs.map((r) => r[k]));
      record({
        bench: 'rescore',
        rows: n,
        runs,
        ours_ms: m('ours'),
        ours_results_copy_ms: m('ours_results_copy'),
        js_ms: m('js'),
        duckdb_ms: m('duckdb'),
        js_over_ours: m('js') / m('ours'),
        duckdb_over_ours: m('duckdb') / m('ours'),
        counts_agree: agree,
        counts: rs[0].counts_ours,
        wasm_used: info.wasmUsed,
        wasm_heap: info.wasmHeap,
        cross_origin_isolated: info.crossOriginIsolated,
        runs_ms: { ours: rs.map((r) => r.ours), js: rs.map((r) => r.js), duckdb: rs.map((r) => r.duckdb) },
      });
      await context.close();
    }
  } finally {
    await browser.close();
  }
}

// ---- 3/4. ingest: CSV (ours, PapaParse, uDSV, d3-dsv) and XLSX (ours, SheetJS, ExcelJS) ------------
// One fresh browser per contender and file; one fresh page (renderer) per run. Runs interleave the
// contenders (round i runs them all, rotated), so noise from other work on the machine is shared.
async function ingestOne(browser, contender, path) {
  const { context, page } = await newPage(browser, '/bench/web/pages/ingest.html');
  try {
    await page.waitForFunction(() => window.ready === true);
    const before = await page.evaluate(([c, p]) => window.prepare(c, p), [contender, path]);
    const base = peakStart(browser);
    let timer;
    const r = await Promise.race([
      page.evaluate(() => window.run()).catch((e) => ({ error: String(e.message || e).slice(0, 200) })),
      new Promise((ok) => {
        timer = setTimeout(() => ok({ error: `did not finish in ${opt.timeoutS} s` }), opt.timeoutS * 1000);
      }),
    ]);
    clearTimeout(timer);
    r.peak_rss_rise = peakEnd(base);
    if (!r.error) {
      const a = await page.evaluate(() => window.after());
      r.js_heap_after = a.jsHeap - before.jsHeap;
    }
    r.bytes = before.bytes;
    return r;
  } catch (e) {
    return { error: String(e.message || e).slice(0, 200) };
  } finally {
    await context.close().catch(() => {});
  }
}

async function ingestSet(kind, files, contenders, runs) {
  for (const { path, label, rows } of files) {
    const browsers = {};
    for (const c of contenders) browsers[c] = await launch();
    try {
      const res = Object.fromEntries(contenders.map((c) => [c, []]));
      const dead = new Set();
      for (let i = 0; i < runs; i++) {
        for (let k = 0; k < contenders.length; k++) {
          const c = contenders[(k + i) % contenders.length];
          if (dead.has(c)) continue;
          let r = await ingestOne(browsers[c], c, path);
          if (r.error) {
            log(kind, label, c, 'failed:', r.error);
            dead.add(c); // out of memory or a crash: no more runs of it on this file
            await browsers[c].close().catch(() => {});
            browsers[c] = await launch();
          }
          res[c].push(r);
        }
      }
      const bytes = res[contenders[0]].find((r) => r.bytes)?.bytes || statSync(join(ROOT, path)).size;
      const out = { bench: `${kind}_ingest`, file: label, rows, bytes, runs };
      for (const c of contenders) {
        const ok = res[c].filter((r) => !r.error);
        const ms = median(ok.map((r) => r.ms));
        out[c] = ok.length
          ? {
              median_ms: ms,
              mb_per_s: bytes / 1e6 / (ms / 1e3),
              rows: ok[0].rows,
              columns: ok[0].columns,
              peak_rss_rise: Math.max(...ok.map((r) => r.peak_rss_rise)),
              peak_over_file: Math.max(...ok.map((r) => r.peak_rss_rise)) / bytes,
              js_heap_after: median(ok.map((r) => r.js_heap_after)),
              wasm_heap: ok[0].wasmHeap ?? null,
              wasm_used: ok[0].wasmUsed ?? null,
              runs_ms: ok.map((r) => r.ms),
            }
          : { error: res[c].find((r) => r.error)?.error || 'no run' };
      }
      const ours = out.ours?.median_ms;
      for (const c of contenders) if (c !== 'ours' && out[c].median_ms) out[c].over_ours = out[c].median_ms / ours;
      record(out);
    } finally {
      for (const b of Object.values(browsers)) await b.close().catch(() => {});
    }
  }
}

async function ingest() {
  // The largest size is covered by the ~150 MB file when one is given (it is 1.25M of the same rows).
  const sizes = opt.ingestFile ? opt.sizes.filter((n) => n < 1000000) : opt.sizes;
  const files = sizes.map((n) => ({ path: `/bench/out/accounts-${n}.csv`, label: `accounts-${n}.csv`, rows: n }));
  if (opt.ingestFile) files.push({ path: '/' + opt.ingestFile, label: opt.ingestFile.split('/').pop(), rows: null });
  await ingestSet('csv', files, opt.csvContenders || ['ours', 'oursBlob', 'oursBlobOne', 'duckdb', 'papaparse', 'udsv', 'd3'], opt.runs);
}

async function xlsx() {
  const files = opt.xlsxRows
    .map((n) => ({ path: `/bench/out/accounts-${n}.xlsx`, label: `accounts-${n}.xlsx`, rows: n }))
    .filter((f) => existsSync(join(ROOT, f.path)));
  for (const f of files) await ingestSet('xlsx', [f], ['ours', 'sheetjs', 'exceljs'], opt.xlsxRuns);
}

// ---- 2, 5, 6. the real page: load to interactive, slider to painted counts, wasm heap ------------
async function timeToReady(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    new MutationObserver(() => {
      if (document.body && document.body.dataset.engine === 'ready' && window.__ready === undefined) window.__ready = performance.now();
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-engine'] });
  });
  await page.goto(BASE + '/dist/index.html');
  await page.waitForFunction(() => window.__ready !== undefined);
  const ms = await page.evaluate(() => window.__ready);
  await context.close();
  return ms;
}

function payload() {
  const dist = join(ROOT, 'dist');
  const files = [];
  const walk = (d) => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, f.name);
      if (f.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dist);
  const size = (re) =>
    files
      .filter((f) => re.test(f))
      .reduce(
        (a, f) => {
          const b = readFileSync(f);
          return { raw: a.raw + b.length, gzip: a.gzip + gzipSync(b, { level: 9 }).length };
        },
        { raw: 0, gzip: 0 },
      );
  return { js: size(/\.m?js$/), wasm: size(/\.wasm$/), html_css: size(/\.(html|css)$/) };
}

async function page() {
  const browser = await launch();
  try {
    const p = payload();
    const ready = [];
    for (let i = 0; i < opt.runs; i++) ready.push(await timeToReady(browser));
    record({
      bench: 'payload',
      js_gzip: p.js.gzip,
      wasm_gzip: p.wasm.gzip,
      total_gzip: p.js.gzip + p.wasm.gzip,
      js_raw: p.js.raw,
      wasm_raw: p.wasm.raw,
      html_css_gzip: p.html_css.gzip,
      load_to_ready_ms: median(ready),
      runs_ms: ready,
    });
    for (const n of opt.sizes) await slider(browser, n);
  } finally {
    await browser.close();
  }
}

/** The sample model with a scorecard per plan: four groups and the other segment (5 segments). */
const SEGMENTS = {
  column: 'Plan',
  other_label: 'Other',
  groups: ['Starter', 'Growth', 'Business', 'Enterprise'].map((p) => ({ id: p.toLowerCase(), label: p, values: [p] })),
};
/** The group whose slider the segmented run moves: Growth, 30% of the generated accounts. */
const SEGMENT_MOVED = 1;

/**
 * Slider to painted counts in the real page. `segmented`: the model has SEGMENTS and the slider
 * moved is group SEGMENT_MOVED's (its first move writes the override; the warm-up moves take it).
 */
async function slider(browser, n, { segmented = false, peer = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => log('pageerror', e.message));
  await page.goto(BASE + '/dist/index.html');
  await page.waitForSelector('body[data-engine="ready"]');
  const t0 = Date.now();
  await page.evaluate(
    async ([n, segments]) => {
      const app = window.healthscore;
      const model = await (await fetch('/web/sample/model.json')).json();
      if (segments) model.segments = segments;
      await app.openModelFile(new File([JSON.stringify(model)], 'model.json', { type: 'application/json' }));
      const blob = await (await fetch(`/bench/out/accounts-${n}.csv`)).blob();
      await app.files.open(new File([blob], `accounts-${n}.csv`, { type: 'text/csv' }));
    },
    [n, segmented ? SEGMENTS : null],
  );
  const settled = () =>
    page.waitForFunction(
      (n) => {
        const d = document.body.dataset;
        return d.busy === '0' && d.rows === String(n) && d.scoredVersion === d.modelVersion;
      },
      n,
      { timeout: 300000, polling: 50 },
    );
  await settled();
  const loadMs = Date.now() - t0;
  if (segmented) await page.locator('#segment-editing').selectOption(String(SEGMENT_MOVED));
  const slider = page.locator('#weights-body input[type="range"][data-category="0"]:not([data-signal])');
  await slider.focus();
  const measureMoves = async () => {
    const moves = [];
    const runs = Math.max(opt.runs, 7) + 2; // the first two warm up
    for (let i = 0; i < runs; i++) {
      await page.evaluate(() => {
        const input = document.querySelector('#weights-body input[type="range"][data-category="0"]:not([data-signal])');
        const counts = () => [...document.querySelectorAll('#summary-body .band-summary td.count')].map((td) => td.textContent).join('|');
        const before = counts();
        // Two moments: the band counts and histogram painted (data-totals-version reaches the model's
        // version: the Worker posts them before copying the scores), and the whole page settled
        // (the table re-sorted and repainted too). "Painted" is the next frame after the DOM change.
        window.__move = new Promise((resolve) => {
          let down = null;
          let totals = null;
          input.addEventListener(
            'keydown',
            (e) => {
              down = e.timeStamp;
            },
            { once: true, capture: true },
          );
          const painted = (f) => requestAnimationFrame(() => setTimeout(f, 0));
          const mo = new MutationObserver(() => {
            const d = document.body.dataset;
            if (down === null) return;
            if (totals === null && d.totalsVersion === d.modelVersion) {
              totals = 'pending';
              const dom = performance.now();
              painted(() => {
                totals = { ms: performance.now() - down, dom_ms: dom - down, changed: counts() !== before };
              });
            }
            if (d.busy !== '0' || d.scoredVersion !== d.modelVersion) return;
            mo.disconnect();
            painted(() => {
              const wait = () =>
                totals && totals !== 'pending' ? resolve({ ...totals, settled_ms: performance.now() - down }) : setTimeout(wait, 1);
              wait();
            });
          });
          mo.observe(document.body, { attributes: true, attributeFilter: ['data-scored-version', 'data-busy', 'data-totals-version'] });
        });
      });
      await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
      moves.push(await page.evaluate(() => window.__move));
      await page.waitForTimeout(150);
    }
    return moves.slice(2);
  };
  const m = await measureMoves();
  // The same moves with the table sorted by score (descending): the Worker sorts, the page filters.
  // First let the evidence figures that follow the moves finish (they share the Worker).
  await page.waitForFunction(() => document.body.dataset.evidenceVersion === document.body.dataset.modelVersion, null, {
    timeout: 300000,
    polling: 100,
  });
  await page.locator('#results-grid th[data-key="score"] button').click();
  await page.waitForFunction(() => document.querySelector('#results-grid th[data-key="score"]').getAttribute('aria-sort') === 'descending', null, {
    timeout: 300000,
    polling: 50,
  });
  await slider.focus();
  const sorted = await measureMoves();
  const mem = await page.evaluate(() => window.healthscore.engine.call('memory'));
  record({
    bench: segmented ? 'slider-segments' : peer ? 'slider-segments-peer' : 'slider',
    rows: n,
    segments: segmented ? SEGMENTS.groups.length + 1 : 0,
    moved_segment: segmented ? SEGMENTS.groups[SEGMENT_MOVED].label : '',
    runs: m.length,
    median_ms: median(m.map((x) => x.ms)),
    dom_median_ms: median(m.map((x) => x.dom_ms)),
    settled_median_ms: median(m.map((x) => x.settled_ms)),
    sorted_median_ms: median(sorted.map((x) => x.ms)),
    sorted_settled_median_ms: median(sorted.map((x) => x.settled_ms)),
    counts_changed: m.filter((x) => x.changed).length,
    load_and_score_s: loadMs / 1000,
    wasm_used: mem.used,
    wasm_heap: mem.heap,
    runs_ms: m.map((x) => x.ms),
  });
  if (n === Math.max(...opt.sizes) && opt.profile) {
    const name = segmented
      ? 'profile-slider-segments-main.cpuprofile'
      : peer
        ? 'profile-slider-segments-peer-main.cpuprofile'
        : 'profile-slider-main.cpuprofile';
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
      await settled();
      await page.waitForTimeout(100);
    }
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(join(OUT, name), JSON.stringify(profile));
    record({
      bench: 'profile',
      what: `slider page main thread, 4 moves, ${n} rows${segmented ? ', 5 segments, a group slider' : peer ? ', no segments (the peer)' : ''}`,
      top: topSelf(profile),
    });
  }
  await context.close();
}

// ---- profiles (CDP Profiler) ----------------------------------------------------------------------
function topSelf(profile, k = 10) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url ? f.url.split('/').pop() : ''}`.trim();
    self.set(key, (self.get(key) || 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms * 10) / 10, share: Math.round((ms / total) * 1000) / 10 }));
}

async function profiled(page, label, file, fn, arg) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.evaluate(fn, arg);
  const { profile } = await cdp.send('Profiler.stop');
  writeFileSync(join(OUT, file), JSON.stringify(profile));
  record({ bench: 'profile', what: label, file: `bench/out/${file}`, top: topSelf(profile) });
}

async function profile() {
  const n = Math.max(...opt.sizes);
  const browser = await launch();
  try {
    let { context, page } = await newPage(browser, '/bench/web/pages/rescore.html');
    await page.waitForFunction(() => window.ready === true);
    await page.evaluate((n) => window.setup(n, { duck: false }), n);
    await profiled(page, `rescore, ours x20, ${n} rows`, 'profile-rescore-ours.cpuprofile', () => window.oursOnly(20));
    await profiled(page, `rescore, plain JS x20, ${n} rows`, 'profile-rescore-js.cpuprofile', () => window.jsOnly(20));
    await context.close();
    const file = opt.ingestFile ? '/' + opt.ingestFile : `/bench/out/accounts-${n}.csv`;
    ({ context, page } = await newPage(browser, '/bench/web/pages/ingest.html'));
    await page.waitForFunction(() => window.ready === true);
    await page.evaluate(([c, p]) => window.prepare(c, p), ['ours', file]);
    await profiled(page, `CSV ingest, ours, ${file.split('/').pop()}`, 'profile-ingest-ours.cpuprofile', () => window.run());
    await context.close();
  } finally {
    await browser.close();
  }
}

/** A slider of one segment with 5 segments, against the plain model's slider in the same run, interleaved. */
async function segments() {
  const browser = await launch();
  try {
    for (const n of opt.sizes) {
      await slider(browser, n, { peer: true });
      await slider(browser, n, { segmented: true });
    }
  } finally {
    await browser.close();
  }
}

/**
 * File dropped into an empty workspace -> band counts painted (issue 17): the read, the suggested
 * model and the first scoring, as a user's first minute goes. The peer, in the same run and page
 * build: the same file opened with the sample model already set (no suggestion).
 */
async function dropOne(browser, n, withModel) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => log('pageerror', e.message));
  await page.goto(BASE + '/dist/index.html');
  await page.waitForSelector('body[data-engine="ready"]');
  if (withModel)
    await page.evaluate(async () => {
      const model = await (await fetch('/web/sample/model.json')).json();
      await window.healthscore.openModelFile(new File([JSON.stringify(model)], 'model.json', { type: 'application/json' }));
    });
  // The file's bytes are fetched first: the clock starts when the page is handed the file.
  await page.evaluate(async (n) => {
    window.__file = new File([await (await fetch(`/bench/out/accounts-${n}.csv`)).blob()], `accounts-${n}.csv`, { type: 'text/csv' });
  }, n);
  // Two clocks: the band counts of the model's version painted (the summary is filled from the
  // totals the Worker posts ahead of the scores), and everything settled (scores, table, idle).
  const { counts, settled } = await page.evaluate(
    (n) =>
      new Promise((resolve) => {
        const t0 = performance.now();
        let counts = null;
        const shown = () => {
          const d = document.body.dataset;
          return d.rows === String(n) && d.totalsVersion === d.modelVersion && document.querySelector('#summary-body td.count');
        };
        const done = () => {
          const d = document.body.dataset;
          return d.rows === String(n) && d.busy === '0' && d.totalsVersion === d.modelVersion && d.scoredVersion === d.modelVersion;
        };
        new MutationObserver((_, obs) => {
          if (counts === null && shown()) {
            counts = -1;
            requestAnimationFrame(() => (counts = performance.now() - t0)); // painted: the next frame
          }
          if (!done()) return;
          obs.disconnect();
          requestAnimationFrame(() => resolve({ counts: counts > 0 ? counts : performance.now() - t0, settled: performance.now() - t0 }));
        }).observe(document.body, { attributes: true, childList: true, subtree: true });
        window.healthscore.files.open(window.__file);
      }),
    n,
  );
  const heap = await page.evaluate(() => window.healthscore.engine.call('memory')).catch(() => null);
  await context.close();
  return { ms: counts, settled, heap: heap && heap.ok ? heap.heap : null };
}

async function drop() {
  const browser = await launch();
  try {
    for (const n of opt.sizes) {
      const ours = [],
        settled = [],
        peer = [],
        heaps = [];
      for (let i = 0; i < opt.runs; i++) {
        const r = await dropOne(browser, n, false);
        ours.push(r.ms);
        settled.push(r.settled);
        heaps.push(r.heap);
        peer.push((await dropOne(browser, n, true)).ms);
      }
      record({
        bench: 'drop-to-paint',
        rows: n,
        suggested_ms: median(ours),
        suggested_settled_ms: median(settled),
        model_given_ms: median(peer),
        heap_mb: Math.round(median(heaps) / 2 ** 20),
        runs_suggested_ms: ours,
        runs_suggested_settled_ms: settled,
        runs_model_given_ms: peer,
      });
    }
  } finally {
    await browser.close();
  }
}

const tasks = { rescore, page, ingest, xlsx, profile, segments, drop };
if (opt.only?.has('profile')) opt.profile = true;
try {
  for (const [name, fn] of Object.entries(tasks))
    if (want(name)) {
      log('==', name);
      await fn();
    }
} finally {
  await close();
}
