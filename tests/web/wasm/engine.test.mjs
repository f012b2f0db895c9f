// SPDX-License-Identifier: MIT
// The wasm module against the native command line: on every corpus file and the sample, the
// suggested model, the scores (to the last bit), the bands and the exported CSV bytes agree.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { corpusFiles, runCli, loadEngine, localToday, sample, corpus, prng } from '../helpers.mjs';

let engine, openBytes;
const tmp = mkdtempSync(join(tmpdir(), 'hs-web-'));

before(async () => {
  engine = await loadEngine();
  ({ openBytes } = await import('../../../dist/lib/open.js'));
});

function open(file) {
  return openBytes(engine, 'main', new Uint8Array(readFileSync(file)), basename(file), {});
}

/** Compares the engine's scores with the CLI's JSON, bit for bit. */
function assertSameScores(cliJson, results, model, label) {
  const rows = cliJson.rows;
  assert.equal(results.rows, rows.length, `${label}: row count`);
  const bandIds = (model.bands || [{ id: 'red' }, { id: 'yellow' }, { id: 'green' }]).map((b) => b.id);
  for (let i = 0; i < rows.length; i++) {
    const want = rows[i].score === null ? NaN : rows[i].score;
    const got = results.scores[i];
    if (!Object.is(got, want)) assert.fail(`${label}: row ${i + 1} score ${got} != CLI ${want}`);
    const wantBand = rows[i].band === null ? -1 : bandIds.indexOf(rows[i].band);
    if (results.bands[i] !== wantBand) assert.fail(`${label}: row ${i + 1} band ${results.bands[i]} != CLI ${rows[i].band}`);
    model.categories.forEach((c, ci) => {
      const w = rows[i].categories[c.id];
      const g = results.category_scores[ci][i];
      if (!Object.is(g, w === null || w === undefined ? NaN : w)) assert.fail(`${label}: row ${i + 1} category ${c.id} ${g} != CLI ${w}`);
    });
  }
}

function scoreBoth(file, modelText, label) {
  const modelPath = join(tmp, 'model.json');
  writeFileSync(modelPath, modelText);
  const native = runCli(['score', file, '--model', modelPath, '--format', 'json', '--allow-missing-columns']);
  assert.equal(native.status, 0, `${label}: CLI score failed: ${native.stderr}`);
  const set = engine.setModel(modelText, localToday());
  assert.ok(set.ok, `${label}: setModel: ${set.message}`);
  const results = engine.results(true);
  assert.ok(results.ok);
  assertSameScores(JSON.parse(native.stdout.toString()), results, JSON.parse(modelText), label);
  const csv = runCli(['score', file, '--model', modelPath, '--format', 'csv', '--allow-missing-columns']);
  assert.equal(csv.status, 0, csv.stderr);
  const exported = engine.exportCsv('standard');
  assert.ok(exported.ok);
  assert.ok(Buffer.from(exported.bytes).equals(csv.stdout), `${label}: exported CSV differs from the CLI's`);
  // The Excel convention for Spanish and Portuguese (';', decimal comma, BOM), byte for byte too.
  const es = runCli(['score', file, '--model', modelPath, '--format', 'csv', '--allow-missing-columns', '--csv', 'excel-es']);
  assert.equal(es.status, 0, es.stderr);
  assert.ok(Buffer.from(engine.exportCsv('excel-es').bytes).equals(es.stdout), `${label}: excel-es export differs from the CLI's`);
  return results;
}

for (const file of corpusFiles()) {
  const label = relative(corpus, file);
  test(`${label}: same model suggestion, scores, bands and CSV export as the command line`, () => {
    const init = runCli(['model', 'init', file]);
    const r = open(file);
    if (init.status !== 0) {
      // The CLI refuses the file: the page must refuse it too, with a message, not a crash.
      assert.equal(r.ok, false, `${label}: CLI refused (${init.stderr.trim()}) but wasm read it`);
      assert.ok(r.message || r.code, `${label}: refusal without a message`);
      return;
    }
    assert.ok(r.ok, `${label}: wasm could not read it: ${r.message || r.code}`);
    const suggested = engine.suggest('main');
    assert.ok(suggested.ok, suggested.message);
    assert.deepEqual(JSON.parse(suggested.model), JSON.parse(init.stdout.toString()), `${label}: suggested model differs`);
    const model = JSON.parse(init.stdout.toString());
    if (model.categories.some((c) => (c.signals || []).length)) scoreBoth(file, init.stdout.toString(), label);
    // Every column as a signal, with a rule for its type, so every reader's cells reach scoring.
    const everything = everyColumnModel(r.info);
    if (everything) scoreBoth(file, JSON.stringify(everything), `${label} (every column)`);
  });
}

/** A model that scores every column of a table with rules chosen by its inferred type. */
function everyColumnModel(info) {
  const signals = { number: [], date: [], boolean: [], text: [] };
  info.columns.forEach((c, i) => {
    if (!signals[c.type]) return;
    const rule = {
      number: i % 3 === 0 ? { type: 'percentile' } : i % 3 === 1 ? { type: 'linear' } : { type: 'log', direction: 'lower_is_better' },
      date: { type: 'recency', full_days: 30, zero_days: 3650 },
      boolean: { type: 'boolean', true_score: 90, false_score: 10 },
      text: { type: 'map', map: {}, default: 40 },
    }[c.type];
    signals[c.type].push({ column: c.name, weight: 1 + (i % 3), rule });
  });
  const categories = Object.entries(signals)
    .filter(([, s]) => s.length)
    .map(([id, s], k) => ({ id, label: id, weight: 10 + 5 * k, signals: s }));
  if (!categories.length) return null;
  return { version: 1, name: 'every column', as_of: '2026-11-25', missing: 'neutral', id_column: info.columns[0].name, categories };
}

test('bands and histogram bins at the rounding edges: each score rounded half away from zero, in and past every block', async () => {
  // The page's build takes bands and bins two rows at a time (simd128); the scalar definition is
  // round half away from zero, then the first band whose max reaches it. One category: scores equal
  // to the value (linear 0..100), at every half, an ulp either side, missing, and random, over 3
  // blocks and a bit. Three categories of weights 0.1, 0.1, 0.7 with missing ones: the weighted sums
  // with 1 to 3 terms, means that pass 100 by an ulp (0.1 * 100 + 0.1 * 100 + 0.7 * 100 over 0.9), and a
  // slider move.
  const { histogram, bandOfRounded } = await import('../../../dist/lib/histogram.js');
  const { roundHalfAway } = await import('../../../dist/lib/format.js');
  const values = [];
  for (let k = 0; k <= 100; k++) {
    const h = k + 0.5;
    values.push(k, h, h - h * Number.EPSILON, h + h * Number.EPSILON);
  }
  const rand = prng(7);
  const cell = () => (rand() < 0.1 ? '' : String(rand() * 100));
  const rows = values.map((x) => [String(x), cell(), cell()]);
  for (let k = 0; k < 40; k++) rows.push(['100', '100', k % 2 ? '100' : '']);
  while (rows.length < 1600) rows.push([rand() < 0.05 ? '' : String(rand() * 100), cell(), cell()]);
  const csv = 'id,x,y,z\n' + rows.map((r, i) => `a${i},${r.join(',')}`).join('\n') + '\n';
  const file = join(tmp, 'edges.csv');
  writeFileSync(file, csv);
  assert.ok(open(file).ok);
  const category = (id, column, weight) => ({
    id,
    label: id,
    weight,
    signals: [{ column, weight: 1, rule: { type: 'linear', min: 0, max: 100 } }],
  });
  const shapes = [
    { name: 'one category', categories: [category('c', 'x', 1)] },
    { name: 'three categories', categories: [category('c', 'x', 0.1), category('d', 'y', 0.1), category('e', 'z', 0.7)] },
  ];
  const maxima = [[50, 70, 100], [0, 9, 19, 29, 39, 49, 59, 69, 79, 89, 99, 100], [100]];
  const check = (bands, label) => {
    const r = engine.results(true);
    assert.equal(r.rows, rows.length);
    const want = histogram(r.scores);
    assert.deepEqual(r.histogram, [...want.counts], `${label}: histogram`);
    assert.equal(r.unscored, want.unscored, `${label}: unscored`);
    let halves = 0,
      over = 0;
    for (let i = 0; i < r.rows; i++) {
      const x = r.scores[i];
      const band = Number.isNaN(x) ? -1 : bandOfRounded(roundHalfAway(x), bands);
      if (r.bands[i] !== band) assert.fail(`${label}: row ${i + 1}: score ${x} band ${r.bands[i]}, want ${band}`);
      if (x % 1 === 0.5) halves++;
      if (x > 100) over++;
    }
    return { halves, over };
  };
  for (const shape of shapes)
    for (const max of maxima) {
      const bands = max.map((m, i) => ({ id: `b${i}`, label: `b${i}`, max: m, color: '#888888' }));
      const model = { version: 1, name: 'edges', id_column: 'id', missing: 'renormalize', bands, categories: shape.categories };
      assert.ok(engine.setModel(JSON.stringify(model), localToday()).ok);
      const { halves, over } = check(bands, `${shape.name}, bands ${max}`);
      // Exact halves among the scores: the 101 values k + 0.5 less the few that 100 * ((k + 0.5) / 100) misses by an ulp.
      if (shape.categories.length === 1) assert.ok(halves >= 80, `scores at exact halves: ${halves}`);
      else {
        assert.ok(over >= 20, `means past 100: ${over}`);
        assert.ok(engine.setCategoryWeight(0, 0.35).ok);
        check(bands, `${shape.name} after a slider move, bands ${max}`);
      }
    }
});

test('the sample with its model scores exactly as the command line, and a weight change too', () => {
  assert.ok(open(sample.file).ok);
  const text = readFileSync(sample.model, 'utf8');
  scoreBoth(sample.file, text, 'sample');
  // A slider move through the fast path equals a fresh CLI run with the changed model.
  const model = JSON.parse(text);
  model.categories[0].weight = 73;
  assert.ok(engine.setCategoryWeight(0, 73).ok);
  const fast = engine.results(true);
  const modelPath = join(tmp, 'changed.json');
  writeFileSync(modelPath, JSON.stringify(model));
  const native = runCli(['score', sample.file, '--model', modelPath, '--format', 'json']);
  assertSameScores(JSON.parse(native.stdout.toString()), fast, model, 'sample after a slider move');
});

test("the engine's histogram and row orders are what the page computed from the scores", async () => {
  const { histogram } = await import('../../../dist/lib/histogram.js');
  const { rowOrder } = await import('../../../dist/lib/view.js');
  assert.ok(open(sample.file).ok);
  const model = JSON.parse(readFileSync(sample.model, 'utf8'));
  for (const weight of [null, 0, 7]) {
    if (weight === null) assert.ok(engine.setModel(JSON.stringify(model), localToday()).ok);
    else assert.ok(engine.setCategoryWeight(1, weight).ok);
    const r = engine.results(true);
    const totals = engine.totals();
    const want = histogram(r.scores);
    assert.deepEqual(r.histogram, [...want.counts]);
    assert.deepEqual(totals.histogram, r.histogram);
    assert.deepEqual(totals.band_counts, r.band_counts);
    assert.equal(totals.unscored, want.unscored);
    assert.equal(r.histogram.reduce((a, b) => a + b, 0) + r.unscored, r.rows);
    for (const descending of [false, true]) {
      const dir = descending ? -1 : 1;
      const byScore = engine.order(-1, descending);
      assert.ok(byScore.ok);
      assert.ok(byScore.order instanceof Uint32Array);
      assert.deepEqual([...byScore.order], [...rowOrder({ scores: r.scores, bands: r.bands, sort: 'score', dir })]);
      const byCategory = engine.order(2, descending);
      assert.deepEqual(
        [...byCategory.order],
        [...rowOrder({ scores: r.scores, bands: r.bands, sort: 'category', dir, values: r.category_scores[2] })],
      );
    }
  }
  const bad = engine.order(model.categories.length, false);
  assert.equal(bad.ok, false);
  assert.match(bad.message, /No such category/);
});

test('engine errors come back as messages, never as an abort', () => {
  const junk = engine.loadCsv('main', new Uint8Array([0, 1, 2, 255, 0, 0, 7, 8, 0, 0]), 'junk.csv', {}, undefined);
  assert.equal(junk.ok, false);
  assert.equal(typeof junk.message, 'string');
  const bad = engine.checkModel('{"version": 1, "bands": [{"id":"a","label":"A","max": 80},{"id":"b","label":"B","max": 50}]}');
  assert.equal(bad.ok, false);
  assert.equal(bad.kind, 'model');
  assert.equal(engine.checkModel('not json').ok, false);
  assert.equal(engine.explain(1e9).ok, false);
  // Still alive afterwards.
  assert.ok(open(sample.file).ok);
  assert.ok(engine.setModel(readFileSync(sample.model, 'utf8'), localToday()).ok);
  assert.ok(engine.explain(0).ok);
});

test('an explanation adds up to the score', () => {
  assert.ok(open(sample.file).ok);
  assert.ok(engine.setModel(readFileSync(sample.model, 'utf8'), localToday()).ok);
  const results = engine.results(false);
  for (const row of [0, 1, 2, 17, 100]) {
    const e = engine.explain(row);
    assert.ok(e.ok, e.message);
    assert.ok(Object.is(e.score, results.scores[row]));
    const sum = e.categories.reduce((a, c) => a + (Number.isNaN(c.score) ? 0 : c.contribution), 0);
    assert.ok(Math.abs(sum - e.score) < 1e-9, `row ${row}: contributions ${sum} != score ${e.score}`);
    // The lift, when there is one: one or two changes in the signal's own values, a higher band.
    if (e.next_band) {
      assert.ok(e.next_band.to_band > e.band);
      assert.ok([1, 2].includes(e.next_band.changes.length));
      for (const c of e.next_band.changes) {
        assert.ok(['raise', 'reduce', 'set'].includes(c.direction));
        assert.ok(['exactly', 'or_more', 'or_fewer'].includes(c.bound));
        assert.equal(typeof c.to_text, 'string');
        assert.equal(typeof c.column, 'string');
      }
    }
  }
});

test('column text crosses as bytes and offsets', () => {
  assert.ok(open(sample.file).ok);
  const r = engine.columnText(0);
  assert.ok(r.ok);
  assert.ok(r.bytes instanceof Uint8Array && r.ends instanceof Uint32Array);
  assert.equal(new TextDecoder().decode(r.bytes.subarray(0, r.ends[0])), 'A-0000001');
});

test('loading and scoring again and again does not grow the wasm heap', () => {
  const bytes = new Uint8Array(readFileSync(sample.file));
  const model = readFileSync(sample.model, 'utf8');
  const cycle = () => {
    assert.ok(openBytes(engine, 'main', bytes, 'accounts.csv', {}).ok);
    assert.ok(engine.setModel(model, localToday()).ok);
    engine.results(true);
    engine.exportCsv('standard');
    engine.explain(3);
  };
  for (let i = 0; i < 3; i++) cycle();
  const before = engine.memory().used;
  for (let i = 0; i < 15; i++) cycle();
  const after = engine.memory().used;
  assert.ok(after - before < 256 * 1024, `heap in use grew from ${before} to ${after}`);
});
