// SPDX-License-Identifier: MIT
// Evidence in the wasm module against the native command line: the validation JSON equals
// `healthscore validate --json` and the comparison JSON and CSV equal `healthscore compare --json -o`,
// byte for byte (the page prints the figures of that JSON, so it agrees with the CLI to the digit).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runCli, loadEngine, localToday, sample, corpus, root, wideSampleModel } from '../helpers.mjs';

let engine, openBytes;
const tmp = mkdtempSync(join(tmpdir(), 'hs-evidence-'));
const telco = join(corpus, 'telco-churn', 'Telco-Customer-Churn.csv');
const telcoModel = join(root, 'tests', 'data', 'telco_model.json');
const esFile = join(root, 'tests', 'data', 'es_accounts.csv');
const esModel = join(root, 'tests', 'data', 'es_model.json');

before(async () => {
  engine = await loadEngine();
  ({ openBytes } = await import('../../../dist/lib/open.js'));
});

function open(file) {
  const r = openBytes(engine, 'main', new Uint8Array(readFileSync(file)), basename(file), {});
  assert.ok(r.ok, r.message);
  return r;
}

/** The earlier file goes into the engine's `earlier` session, through the same reader path. */
function openEarlier(file) {
  const r = openBytes(engine, 'earlier', new Uint8Array(readFileSync(file)), basename(file), {});
  assert.ok(r.ok, r.message);
  return r;
}

function apply(modelPath) {
  const set = engine.setModel(readFileSync(modelPath, 'utf8'), localToday());
  assert.ok(set.ok, set.message);
}

for (const [label, file, model] of [
  ['Telco churn', telco, telcoModel],
  ['the sample', sample.file, sample.model],
]) {
  test(`${label}: the validation JSON is \`healthscore validate --json\` byte for byte`, () => {
    const cli = runCli(['validate', file, '--model', model, '--json']);
    assert.equal(cli.status, 0, cli.stderr);
    open(file);
    apply(model);
    const r = engine.validate({ indent: 2 });
    assert.ok(r.ok, r.message);
    assert.equal(r.json + '\n', cli.stdout.toString());
    // What the page asks for while a slider moves: the same figures, without the slow parts.
    const cheap = engine.validate({ suggest: false, sensitivity: false });
    assert.ok(cheap.ok, cheap.message);
    const full = JSON.parse(r.json);
    const fast = JSON.parse(cheap.json);
    assert.deepEqual(fast.health, full.health);
    assert.deepEqual(fast.categories, full.categories);
    assert.deepEqual(fast.bands, full.bands);
    assert.equal(fast.suggested_weights, undefined);
    assert.deepEqual(fast.sensitivity, []);
  });
}

test('a moved weight is validated as the command line validates a model with that weight', () => {
  open(sample.file);
  apply(sample.model);
  assert.ok(engine.setCategoryWeight(1, 55).ok);
  const m = JSON.parse(readFileSync(sample.model, 'utf8'));
  m.categories[1].weight = 55;
  const path = join(tmp, 'moved.json');
  writeFileSync(path, JSON.stringify(m));
  const cli = runCli(['validate', sample.file, '--model', path, '--json']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(engine.validate({ indent: 2 }).json + '\n', cli.stdout.toString());
});

test('a model without an outcome is refused with a message, not a crash', () => {
  open(esFile);
  apply(esModel);
  const r = engine.validate({});
  assert.equal(r.ok, false);
  assert.match(r.message, /outcome/);
});

test('comparison with an earlier file: JSON and CSV are `healthscore compare --json -o` byte for byte', () => {
  // The later file: one account recovers, one falls into the lowest band.
  const lines = readFileSync(esFile, 'utf8').split('\n');
  lines[2] = lines[2].replace(';12;-20;3;', ';50;60;0;');
  lines[1] = lines[1].replace(';30;50;0;', ';0;-100;9;').replace('Al día', 'Fallido');
  const later = join(tmp, 'es_later.csv');
  writeFileSync(later, lines.join('\n'));
  const csvPath = join(tmp, 'changes.csv');
  const cli = runCli(['compare', esFile, later, '--model', esModel, '--json', '-o', csvPath]);
  assert.equal(cli.status, 0, cli.stderr);
  open(later);
  apply(esModel);
  openEarlier(esFile);
  const r = engine.compare(localToday(), { indent: 2, csv: true });
  assert.ok(r.ok, r.message);
  assert.equal(r.json + '\n', cli.stdout.toString());
  assert.ok(Buffer.from(r.csv).equals(readFileSync(csvPath)), "comparison CSV differs from the CLI's");
  const c = JSON.parse(r.json);
  assert.equal(c.accounts.matched, 4);
  assert.equal(c.movers_up[0].id, 'C-2');
  assert.deepEqual(
    c.newly_red.map((x) => x.id),
    ['C-1'],
  );
  // The current file stays as it was: the earlier one lives in its own table.
  const now = engine.results(false);
  assert.equal(now.rows, 4);
  engine.discard('earlier');
  const gone = engine.compare(localToday(), {});
  assert.equal(gone.ok, false);
  assert.match(gone.message, /earlier/);
});

test('comparing needs an id column: the engine says so', () => {
  open(sample.file);
  const m = JSON.parse(readFileSync(sample.model, 'utf8'));
  delete m.id_column;
  assert.ok(engine.setModel(JSON.stringify(m), localToday()).ok);
  openEarlier(sample.file);
  const r = engine.compare(localToday(), {});
  assert.equal(r.ok, false);
  assert.ok(r.message.length > 0);
  engine.discard('earlier');
});

test('issue 15: the validation run a slice at a time is `healthscore validate --json` byte for byte', () => {
  // A model of 12 categories of two of the sample's signals each, so the search takes many slices;
  // sliced in the page or run in one go by the command line, it must end at the same weights.
  const wide = wideSampleModel(12);
  const modelPath = join(tmp, 'wide-model.json');
  writeFileSync(modelPath, JSON.stringify(wide));
  const cli = runCli(['validate', sample.file, '--model', modelPath, '--json']);
  assert.equal(cli.status, 0, cli.stderr);
  open(sample.file);
  apply(modelPath);
  let r = engine.validate({ indent: 2, stepped: true });
  assert.ok(r.ok && r.pending, 'a search is left to run');
  let slices = 0;
  while (r.ok && r.pending) {
    r = engine.validateStep(2_000_000);
    slices++;
  }
  assert.ok(r.ok, r.message);
  assert.ok(slices > 20, `${slices} slices`);
  assert.equal(r.json + '\n', cli.stdout.toString());
  const v = JSON.parse(r.json);
  assert.ok(v.suggested_weights.search_tries > 100);
  // A step with nothing pending is an error, and a cancelled search is gone.
  assert.equal(engine.validateStep(1).error.code, 'engine.no_validation');
  assert.ok(engine.validate({ stepped: true }).pending);
  engine.validateCancel();
  assert.equal(engine.validateStep(1).error.code, 'engine.no_validation');
});
