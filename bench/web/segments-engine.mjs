// SPDX-License-Identifier: MIT
// The engine alone (wasm in Node, no page): a category weight change at N accounts without segments,
// with 5 segments (four plan groups and the other) moving the base slider, and moving one group's
// slider (Growth, 30% of the generated accounts). Medians of 21 moves, then the totals and the
// results copy the Worker posts.
//   node bench/web/segments-engine.mjs [bench/out/accounts-1000000.csv]
import { readFileSync } from 'node:fs';
import { loadEngine, localToday } from '../../tests/web/helpers.mjs';

const file = process.argv[2] || 'bench/out/accounts-1000000.csv';
const engine = await loadEngine();
if (!engine.loadCsv('main', new Uint8Array(readFileSync(file)), 'accounts.csv', {}, undefined).ok) throw new Error(`cannot read ${file}`);
const base = JSON.parse(readFileSync(new URL('../../web/sample/model.json', import.meta.url), 'utf8'));
const seg = structuredClone(base);
seg.segments = {
  column: 'Plan',
  groups: ['Starter', 'Growth', 'Business', 'Enterprise'].map((p) => ({ id: p.toLowerCase(), label: p, values: [p] })),
};
seg.segments.groups[1].categories = { usage: { weight: 40 } }; // the override the group's slider moves
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const cases = [
  ['no segments, category slider', base, (w) => engine.setCategoryWeight(0, w)],
  ['5 segments, base slider (every slot)', seg, (w) => engine.setCategoryWeight(0, w)],
  ['5 segments, Growth slider (its rows only)', seg, (w) => engine.setGroupCategoryWeight(1, 0, w)],
];
for (const [name, model, move] of cases) {
  if (!engine.setModel(JSON.stringify(model), localToday()).ok) throw new Error('model refused');
  const set = [],
    totals = [],
    results = [];
  for (let i = 0; i < 24; i++) {
    let t0 = performance.now();
    if (!move(30 + (i % 2) * 10).ok) throw new Error('move refused');
    const a = performance.now() - t0;
    t0 = performance.now();
    engine.totals();
    const b = performance.now() - t0;
    t0 = performance.now();
    engine.results(false);
    const c = performance.now() - t0;
    if (i >= 3) {
      set.push(a);
      totals.push(b);
      results.push(c);
    } // three warm-up moves
  }
  console.log(
    JSON.stringify({
      bench: 'segments-engine',
      case: name,
      rows: engine.results(false).rows,
      rescore_ms: +median(set).toFixed(2),
      totals_ms: +median(totals).toFixed(2),
      results_ms: +median(results).toFixed(2),
    }),
  );
}
