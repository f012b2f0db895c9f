// SPDX-License-Identifier: MIT
// Turns bench/out/web.jsonl (and bench/out/native-*.jsonl when scripts/bench wrote them) into the
// Markdown table for BENCHMARKS.md: medians, ratios against peers measured in the same run, goals.
//   node bench/web/summary.mjs --sizes "10000 100000 1000000" --runs 5 --seconds 600
import { existsSync, readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, 'bench/out');
const arg = (k, d) => {
  const i = process.argv.indexOf(k);
  return i > 0 ? process.argv[i + 1] : d;
};
const lines = (f) =>
  existsSync(f)
    ? readFileSync(f, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          try {
            return JSON.parse(l);
          } catch {
            return null;
          }
        })
        .filter(Boolean)
    : [];
const web = lines(join(OUT, 'web.jsonl'));
const native = (tag) => Object.fromEntries(lines(join(OUT, `native-${tag}.jsonl`)).map((o) => [o.what, o]));
const get = (bench, pred = () => true) => web.filter((o) => o.bench === bench && pred(o));
const ms = (x) =>
  x == null || !Number.isFinite(x) ? '–' : x < 10 ? x.toFixed(2) + ' ms' : x < 10000 ? x.toFixed(0) + ' ms' : (x / 1000).toFixed(1) + ' s';
const mb = (b) => (b == null ? '–' : (b / 1e6).toFixed(0) + ' MB');
const kb = (b) => (b / 1000).toFixed(0) + ' kB';
const x = (r) => (r == null || !Number.isFinite(r) ? '–' : r.toFixed(r < 10 ? 2 : 1) + '×');
const verdict = (ok) => (ok == null ? 'not measured' : ok ? 'met' : 'missed');
const sizes = arg('--sizes', '10000 100000 1000000').trim().split(/\s+/).map(Number);
const big = Math.max(...sizes);
let chromium = '?';
try {
  chromium = execSync('/usr/bin/chromium --version', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  /* none */
}

const out = [];
const p = (s = '') => out.push(s);
p('## Browser benchmarks (scripts/bench-web)');
p();
p(
  `Machine: ${cpus()[0]?.model || '?'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GB; ${chromium} headless via playwright-core; ` +
    `${new Date().toISOString().slice(0, 10)}; shared with other work (noisy), so ours and the peers run interleaved in the same run and figures are medians.`,
);
p(
  `Command: \`scripts/bench-web --sizes "${sizes.join(' ')}" --runs ${arg('--runs', 5)}\` (called by \`scripts/bench\`); took ${arg('--seconds', '?')} s.`,
);
p();

// ---- headline table ----
const rs = get('rescore', (o) => o.rows === big)[0];
const nat = native(big);
const slider = get('slider', (o) => o.rows === big)[0];
const csv = get('csv_ingest').find((o) => o.rows == null) || get('csv_ingest').at(-1);
const nat150 = native('150mb');
const xl = get('xlsx_ingest', (o) => o.rows === 200000)[0];
const xl1m = get('xlsx_ingest', (o) => o.rows === 1000000)[0];
const pay = get('payload')[0];
p('| what | ours | peers, same run | ratio (peer ÷ ours) | goal | |');
p('|---|---|---|---|---|---|');
if (rs) {
  p(
    `| rescore after one category weight change, ${rs.rows.toLocaleString('en')} accounts (wasm, Chromium) | ${ms(rs.ours_ms)} | plain JS ${ms(rs.js_ms)}; DuckDB-wasm ${ms(rs.duckdb_ms)} | JS ${x(rs.js_over_ours)}; DuckDB ${x(rs.duckdb_over_ours)} | ≤ 5 ms; ≥ 2× JS; ≥ 10× DuckDB | ${verdict(rs.ours_ms <= 5)}; ${verdict(rs.js_over_ours >= 2)}; ${verdict(rs.duckdb_over_ours >= 10)} |`,
  );
  if (nat.rescore_category_weight)
    p(
      `| same, native (bench_native) | ${ms(nat.rescore_category_weight.median_ms)} | | wasm ÷ native ${x(rs.ours_ms / nat.rescore_category_weight.median_ms)} | wasm within 2× of native | ${verdict(rs.ours_ms / nat.rescore_category_weight.median_ms <= 2)} |`,
    );
  p(`| same, plus copying scores and bands out of wasm (\`results()\`, what the Worker posts) | +${ms(rs.ours_results_copy_ms)} | | | | |`);
}
if (slider) {
  p(
    `| slider input to painted band counts and histogram, ${slider.rows.toLocaleString('en')} accounts, real page | ${ms(slider.median_ms)} (DOM updated at ${ms(slider.dom_median_ms)}) | | | ≤ 50 ms | ${verdict(slider.median_ms <= 50)} |`,
  );
  if (slider.settled_median_ms != null)
    p(
      `| same, until the table is repainted too (row order; sorted by score: counts ${ms(slider.sorted_median_ms)}, table ${ms(slider.sorted_settled_median_ms)}) | ${ms(slider.settled_median_ms)} | | | | |`,
    );
}
if (csv) {
  const peers = ['papaparse', 'udsv', 'd3'].filter((c) => csv[c]?.median_ms);
  const fastest = peers.sort((a, b) => csv[a].median_ms - csv[b].median_ms)[0];
  const o = csv.ours;
  const names = { papaparse: 'PapaParse', udsv: 'uDSV', d3: 'd3-dsv' };
  p(
    `| CSV ingest to typed columns, ${mb(csv.bytes)} (${csv.file}), wasm | ${o.mb_per_s.toFixed(0)} MB/s (${ms(o.median_ms)}); peak +${o.peak_over_file.toFixed(2)}× file | ${['papaparse', 'udsv', 'd3'].map((c) => (csv[c]?.median_ms ? `${names[c]} ${csv[c].mb_per_s.toFixed(0)} MB/s, peak +${csv[c].peak_over_file.toFixed(2)}×` : `${names[c]}: ${csv[c]?.error || '–'}`)).join('; ')} | fastest (${names[fastest] || '–'}) ${x(csv[fastest]?.over_ours)} | ≥ 200 MB/s; ≥ 2× fastest JS; peak ≤ 2.5× file | ${verdict(o.mb_per_s >= 200)}; ${verdict(csv[fastest]?.over_ours >= 2)}; ${verdict(o.peak_over_file + 1 <= 2.5)} (with the input's own bytes: ${(o.peak_over_file + 1).toFixed(2)}×) |`,
  );
  if (nat150.csv_ingest)
    p(
      `| same file, native (bench_native) | ${nat150.csv_ingest.mb_per_s.toFixed(0)} MB/s (${ms(nat150.csv_ingest.median_ms)}) | | wasm ÷ native ${x(o.median_ms / nat150.csv_ingest.median_ms)} | wasm within 2× of native | ${verdict(o.median_ms / nat150.csv_ingest.median_ms <= 2)} |`,
    );
}
for (const f of [xl, xl1m].filter(Boolean)) {
  const o = f.ours;
  const sj = f.sheetjs,
    ej = f.exceljs;
  const desc = (name, c) => (c?.median_ms ? `${name} ${ms(c.median_ms)}, peak +${mb(c.peak_rss_rise)}` : `${name}: ${c?.error || '–'}`);
  p(
    `| XLSX ingest ${f.rows.toLocaleString('en')} × 20 (${mb(f.bytes)}), wasm | ${o?.median_ms ? `${ms(o.median_ms)}, peak +${mb(o.peak_rss_rise)}` : o?.error} | ${desc('SheetJS', sj)}; ${desc('ExcelJS', ej)} | SheetJS ${x(sj?.over_ours)}, memory ${x(sj?.peak_rss_rise / o?.peak_rss_rise)}; ExcelJS ${x(ej?.over_ours)}, memory ${x(ej?.peak_rss_rise / o?.peak_rss_rise)} | ≥ 4× SheetJS; ≤ ⅓ its peak memory${f.rows >= 1e6 ? '; loads where peers run out' : ''} | ${verdict(sj?.over_ours >= 4)}; ${verdict(sj?.peak_rss_rise ? o.peak_rss_rise * 3 <= sj.peak_rss_rise : null)} |`,
  );
}
if (pay) {
  p(
    `| payload: shipped js + wasm, gzip -9 | ${kb(pay.total_gzip)} (js ${kb(pay.js_gzip)}, wasm ${kb(pay.wasm_gzip)}) | | | ≤ 300 kB | ${verdict(pay.total_gzip <= 300000)} |`,
  );
  p(
    `| load to interactive (navigation start to \`data-engine="ready"\`), localhost | ${ms(pay.load_to_ready_ms)} | | | ≤ 1 s | ${verdict(pay.load_to_ready_ms <= 1000)} |`,
  );
}
const heap = slider || rs;
if (heap)
  p(
    `| wasm heap, ${heap.rows.toLocaleString('en')} × 20 loaded and scored (real page) | ${mb(heap.wasm_heap)} memory (${mb(heap.wasm_used)} malloc'd) | | | ≤ 250 MB | ${verdict(heap.wasm_heap <= 250e6)} |`,
  );
p();
p(
  'Peak memory is the rise of the tab\'s renderer process peak RSS (/proc VmHWM after resetting it) over its RSS just before the ingest, with the file\'s bytes already in memory; "with the input" adds the file itself. Each ingest runs cold in a fresh page. Peers parse from a string (TextDecoder included in their time); ours copies the bytes into wasm memory (included).',
);
p();

// ---- growth ----
p('### Growth from 10k to 1M (medians)');
p();
p('| accounts | rescore ours | plain JS | DuckDB-wasm | slider to paint | CSV ingest ours | PapaParse | uDSV | d3-dsv | wasm heap |');
p('|---|---|---|---|---|---|---|---|---|---|');
const csvAll = get('csv_ingest');
for (const n of [...sizes, null]) {
  const r = get('rescore', (o) => o.rows === n)[0];
  const s = get('slider', (o) => o.rows === n)[0];
  const c = n === null ? csvAll.find((o) => o.rows == null) : csvAll.find((o) => o.rows === n);
  if (!r && !s && !c) continue;
  const rate = (k) => (c?.[k]?.mb_per_s ? `${c[k].mb_per_s.toFixed(0)} MB/s` : c?.[k]?.error ? 'failed' : '–');
  const label = n === null ? `${c.file} (1.25M)` : n.toLocaleString('en');
  p(
    `| ${label} | ${ms(r?.ours_ms)} | ${ms(r?.js_ms)} | ${ms(r?.duckdb_ms)} | ${ms(s?.median_ms)} | ${rate('ours')} | ${rate('papaparse')} | ${rate('udsv')} | ${rate('d3')} | ${s ? mb(s.wasm_heap) : r ? mb(r.wasm_heap) : '–'} |`,
  );
}
p();
const agree = get('rescore').every((o) => o.counts_agree);
p(
  `Band counts from ours, the JS kernel and DuckDB (and the histograms from ours and the JS kernel) agreed in every rescore run: ${agree ? 'yes' : 'NO'}.`,
);
p();

// ---- profiles ----
const profs = get('profile');
if (profs.length) {
  p('### Where the time goes (Chromium CPU profiles, CDP Profiler; self time)');
  p();
  for (const pr of profs) {
    p(
      `- ${pr.what}${pr.file ? ` (\`${pr.file}\`)` : ''}: ` +
        pr.top
          .slice(0, 6)
          .map((t) => `${t.fn} ${t.share}%`)
          .join(', '),
    );
  }
  p();
}
console.log(out.join('\n'));
