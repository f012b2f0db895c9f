// SPDX-License-Identifier: MIT
// The page's engine (dist/, wasm in Node) reading a generated file and suggesting its model, as the
// studio does when a file is dropped into an empty workspace; medians of 5 suggestions.
//   node bench/web/suggest-engine.mjs FILE      (e.g. bench/out/accounts-1000000.csv)
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadEngine } from '../../tests/web/helpers.mjs';
const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/web/suggest-engine.mjs FILE');
  process.exit(2);
}
const engine = await loadEngine();
const { openBytes } = await import('../../dist/lib/open.js');
let t = performance.now();
console.log(openBytes(engine, 'main', new Uint8Array(readFileSync(file)), basename(file), {}).ok, 'read', (performance.now() - t).toFixed(0), 'ms');
const T = [];
for (let i = 0; i < 5; i++) {
  t = performance.now();
  const r = engine.suggest('main');
  T.push(performance.now() - t);
  if (!r.ok) console.log(r);
}
T.sort((a, b) => a - b);
console.log('suggest median of 5', T[2].toFixed(0), 'ms', T.map((x) => x.toFixed(0)).join(' '));
